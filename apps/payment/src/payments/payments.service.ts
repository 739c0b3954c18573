import { Inject, Injectable, Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { PAYMENT_GATEWAY, PaymentGateway } from './gateway/payment-gateway';
import { PaymentsRepository } from './payments.repository';

export const PAYMENT_CONSUMER = 'payment-service';

@Injectable()
export class PaymentsService {
  private readonly log = new Logger(PaymentsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly payments: PaymentsRepository,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  /**
   * processPayment for reserved stock, at most once per StockReserved. The gateway is called inside
   * the transaction: if the commit fails, the retry calls it again with the same orderId, which a
   * real provider takes as its idempotency key.
   */
  async pay(e: Envelope<Topic.StockReserved>): Promise<void> {
    const { orderId, amount } = e.payload;
    await this.uow.runOnce(PAYMENT_CONSUMER, e, async (tx, emit) => {
      const id = newId();
      const result = await this.gateway.processPayment({ orderId, amount });
      if (result.approved) {
        await this.payments.create(tx, { id, orderId, amount, status: 'COMPLETED', reason: null });
        emit(Topic.PaymentCompleted, { orderId, paymentId: id, amount });
      } else {
        await this.payments.create(tx, { id, orderId, amount, status: 'FAILED', reason: result.reason });
        emit(Topic.PaymentFailed, { orderId, paymentId: id, amount, reason: result.reason });
      }
      this.log.debug(`order ${orderId}: payment of ${amount} ${result.approved ? 'approved' : 'declined'}`);
    });
  }

  list(orderId: string) {
    return this.payments.byOrder(orderId);
  }
}
