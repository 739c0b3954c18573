import { Controller } from '@nestjs/common';
import { Topic } from '@app/events';
import { OnEventBatch } from '@app/kafka';
import { OrderProgress, OrdersService } from './orders.service';

/**
 * The saga's progress and outcomes, applied to the orders (each at most once, see OrdersService).
 * One method for the five topics: what arrives together, from any of them, is applied in one
 * transaction.
 */
@Controller()
export class OrdersConsumer {
  constructor(private readonly orders: OrdersService) {}

  @OnEventBatch([Topic.StockReserved, Topic.StockRejected, Topic.PaymentCompleted, Topic.PaymentFailed, Topic.ShipmentCompleted])
  async progress(events: OrderProgress[]): Promise<void> {
    await this.orders.apply(events);
  }
}
