import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEvent } from '@app/kafka';
import { StockService } from './stock.service';

@Controller()
export class StockConsumer {
  constructor(private readonly stock: StockService) {}

  @OnEvent(Topic.OrderCreated)
  async orderCreated(event: Envelope<Topic.OrderCreated>): Promise<void> {
    await this.stock.reserve(event);
  }

  @OnEvent(Topic.PaymentFailed)
  async paymentFailed(event: Envelope<Topic.PaymentFailed>): Promise<void> {
    await this.stock.release(event);
  }
}
