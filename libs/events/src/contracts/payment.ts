import { z } from 'zod';
import { minorUnits, uuid } from './common';

export const PaymentCompleted = z.object({ orderId: uuid, paymentId: uuid, amount: minorUnits });
export type PaymentCompleted = z.infer<typeof PaymentCompleted>;

export const PaymentFailReason = z.enum(['LIMIT_EXCEEDED', 'DECLINED']);
export type PaymentFailReason = z.infer<typeof PaymentFailReason>;

export const PaymentFailed = z.object({
  orderId: uuid,
  paymentId: uuid,
  amount: minorUnits,
  reason: PaymentFailReason,
});
export type PaymentFailed = z.infer<typeof PaymentFailed>;
