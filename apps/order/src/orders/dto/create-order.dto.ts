import { z } from 'zod';

/**
 * POST /orders. Unknown fields are refused so a typo ("cout") never passes silently. Whose order it
 * is comes from the bearer token (its subject), never from the body: a body `userId` is refused.
 */
export const CreateOrderDto = z.strictObject({
  kind: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a product sku: 1-64 letters, digits, _ or -'),
  count: z.number().int().positive().max(1000),
});
export type CreateOrderDto = z.infer<typeof CreateOrderDto>;

/** POST /orders (201): the order is stored PENDING; the saga decides the rest (GET /orders/:id). */
export const OrderAccepted = z.object({ id: z.uuid(), status: z.literal('PENDING') });
export type OrderAccepted = z.infer<typeof OrderAccepted>;
