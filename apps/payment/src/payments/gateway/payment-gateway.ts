import { PaymentFailReason } from '@app/events';

export interface PaymentRequest {
  /** Idempotency key for a real provider: one payment per order. */
  orderId: string;
  amount: number;
}

export type PaymentResult = { approved: true } | { approved: false; reason: PaymentFailReason };

/** processPayment behind an interface: swap the simulator for a real provider via this token. */
export interface PaymentGateway {
  processPayment(request: PaymentRequest): Promise<PaymentResult>;
}

export const PAYMENT_GATEWAY = Symbol('PAYMENT_GATEWAY');
