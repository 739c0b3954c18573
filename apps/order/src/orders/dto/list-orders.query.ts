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

/** An order as the API answers it (plain JSON: timestamps are ISO strings). */
export const OrderView = z.object({
  id: z.uuid(),
  kind: z.string(),
  count: z.number().int(),
  userId: z.string().nullable(),
  status: z.enum(OrderStatus),
  reason: z.string().nullable().describe('why it was REJECTED or CANCELLED, e.g. OUT_OF_STOCK'),
  amount: z.number().int().nullable().describe('set once the stock is reserved'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OrderView = z.infer<typeof OrderView>;

/** GET /orders: newest first; nextCursor is null on the last page. */
export const OrderPage = z.object({ items: z.array(OrderView), nextCursor: z.string().nullable() });
export type OrderPage = z.infer<typeof OrderPage>;

/** One step of an order's timeline, caused by a consumed event (none for ORDER_CREATED). */
export const OrderStep = z.object({
  status: z.enum(OrderStatus),
  step: z.string(),
  reason: z.string().nullable(),
  eventId: z.guid().nullable().describe('the event that caused the step (null for ORDER_CREATED)'),
  at: z.iso.datetime(),
});
export type OrderStep = z.infer<typeof OrderStep>;

/** GET /orders/:id: the order and its timeline, oldest step first. */
export const OrderDetail = OrderView.extend({ history: z.array(OrderStep) });
export type OrderDetail = z.infer<typeof OrderDetail>;
