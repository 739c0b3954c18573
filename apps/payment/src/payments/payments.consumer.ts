import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEventBatch } from '@app/kafka';
import { PaymentsService } from './payments.service';

@Controller()
export class PaymentsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  // The batches in flight are paid in one transaction (UnitOfWork.runOnceBatch, KafkaEventServer).
  @OnEventBatch(Topic.StockReserved)
  async stockReserved(events: Envelope<Topic.StockReserved>[]): Promise<void> {
    await this.payments.pay(events);
  }
}
