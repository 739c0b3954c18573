import { z } from 'zod';
import { positiveInt, sku, uuid } from './common';

export const OrderCreated = z.object({
  orderId: uuid,
  kind: sku,
  count: positiveInt,
  userId: z.string().min(1).max(64).nullable(),
});
export type OrderCreated = z.infer<typeof OrderCreated>;
