import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEventBatch } from '@app/kafka';
import { StockService } from './stock.service';

@Controller()
export class StockConsumer {
  constructor(private readonly stock: StockService) {}

  // The batches of a topic in flight are applied in one transaction (UnitOfWork.runOnceBatch, KafkaEventServer).
  @OnEventBatch(Topic.OrderCreated)
  async orderCreated(events: Envelope<Topic.OrderCreated>[]): Promise<void> {
    await this.stock.reserve(events);
  }

  @OnEventBatch(Topic.PaymentFailed)
  async paymentFailed(events: Envelope<Topic.PaymentFailed>[]): Promise<void> {
    await this.stock.release(events);
  }
}
