import { z } from 'zod';
import { PaymentStatus } from '@app/database';

export const ListPaymentsQuery = z.strictObject({ orderId: z.uuid() });
export type ListPaymentsQuery = z.infer<typeof ListPaymentsQuery>;

/** A payment of an order: COMPLETED, or FAILED with the gateway's reason. */
export const PaymentView = z.object({
  id: z.uuid(),
  orderId: z.guid(),
  amount: z.number().int(),
  status: z.enum(PaymentStatus),
  reason: z.string().nullable().describe('FAILED only, e.g. LIMIT_EXCEEDED'),
  createdAt: z.iso.datetime(),
});
export type PaymentView = z.infer<typeof PaymentView>;

/** GET /payments: the order's payments, oldest first (at most one: the saga pays an order once). */
export const PaymentList = z.array(PaymentView);
export type PaymentList = z.infer<typeof PaymentList>;
