import { Inject, Injectable } from '@nestjs/common';
import { AppEnv } from '@app/config';
import { APP_ENV } from '@app/platform';
import { PaymentGateway, PaymentRequest, PaymentResult } from './payment-gateway';

/**
 * The default gateway: approves every amount up to PAYMENT_LIMIT and declines above it with
 * LIMIT_EXCEEDED. Deterministic, so the failure path can be triggered through the public API.
 */
@Injectable()
export class SimulatedPaymentGateway implements PaymentGateway {
  constructor(@Inject(APP_ENV) private readonly env: AppEnv<'payment'>) {}

  processPayment({ amount }: PaymentRequest): Promise<PaymentResult> {
    return Promise.resolve(amount <= this.env.PAYMENT_LIMIT ? { approved: true } : { approved: false, reason: 'LIMIT_EXCEEDED' });
  }
}
