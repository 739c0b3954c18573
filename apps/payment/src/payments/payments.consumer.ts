import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEventBatch } from '@app/kafka';
import { PaymentsService } from './payments.service';

@Controller()
export class PaymentsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  // Each fetched batch of a partition is paid in one transaction (see UnitOfWork.runOnceEach).
  @OnEventBatch(Topic.StockReserved)
  async stockReserved(events: Envelope<Topic.StockReserved>[]): Promise<void> {
    await this.payments.pay(events);
  }
}
