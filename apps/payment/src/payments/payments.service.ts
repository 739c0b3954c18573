import { Inject, Injectable, Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { PAYMENT_GATEWAY, PaymentGateway } from './gateway/payment-gateway';
import { NewPayment, PaymentsRepository } from './payments.repository';
import { PaymentList } from './dto/list-payments.query';

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
   * processPayment for a fetched batch of reserved orders, at most once per StockReserved; the
   * payments and their events commit together. The gateway is called inside the transaction: if
   * the commit fails, the retry calls it again with the same orderId, which a real provider takes
   * as its idempotency key.
   */
  async pay(events: Envelope<Topic.StockReserved>[]): Promise<void> {
    await this.uow.runOnceBatch(PAYMENT_CONSUMER, events, async (tx, fresh, emitFor) => {
      const payments: NewPayment[] = [];
      for (const e of fresh) {
        const { orderId, amount } = e.payload;
        const id = newId();
        const result = await this.gateway.processPayment({ orderId, amount });
        const emit = emitFor(e);
        if (result.approved) {
          payments.push({ id, orderId, amount, status: 'COMPLETED', reason: null });
          emit(Topic.PaymentCompleted, { orderId, paymentId: id, amount });
        } else {
          payments.push({ id, orderId, amount, status: 'FAILED', reason: result.reason });
          emit(Topic.PaymentFailed, { orderId, paymentId: id, amount, reason: result.reason });
        }
        this.log.debug(`order ${orderId}: payment of ${amount} ${result.approved ? 'approved' : 'declined'}`);
      }
      await this.payments.create(tx, payments);
    });
  }

  async list(orderId: string): Promise<PaymentList> {
    const payments = await this.payments.byOrder(orderId);
    return payments.map((p) => ({ id: p.id, orderId: p.orderId, amount: p.amount, status: p.status, reason: p.reason, createdAt: p.createdAt.toISOString() }));
  }
}
