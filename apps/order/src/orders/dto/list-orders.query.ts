import { z } from 'zod';
import { OrderStatus } from '@app/database';
import { decodeCursor } from '../order-cursor';

/** GET /orders query: every filter optional; the cursor is the opaque nextCursor of a previous page. */
export const ListOrdersQuery = z.strictObject({
  status: z.enum(OrderStatus).optional(),
  kind: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  userId: z.string().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(200)
    .transform((s, ctx) => decodeCursor(s) ?? (ctx.addIssue({ code: 'custom', message: 'not a cursor of this API' }), z.NEVER))
    .optional(),
});
export type ListOrdersQuery = z.output<typeof ListOrdersQuery>;

export const OrderId = z.uuid();
