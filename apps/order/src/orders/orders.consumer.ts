import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEventBatch } from '@app/kafka';
import { OrdersService } from './orders.service';

/**
 * The saga's outcomes, applied to the order (each at most once, see OrdersService); the batches of
 * a topic in flight together in one transaction.
 */
@Controller()
export class OrdersConsumer {
  constructor(private readonly orders: OrdersService) {}

  @OnEventBatch(Topic.StockReserved)
  async stockReserved(events: Envelope<Topic.StockReserved>[]): Promise<void> {
    await this.orders.stockReserved(events);
  }

  @OnEventBatch(Topic.StockRejected)
  async stockRejected(events: Envelope<Topic.StockRejected>[]): Promise<void> {
    await this.orders.stockRejected(events);
  }

  @OnEventBatch(Topic.PaymentCompleted)
  async paymentCompleted(events: Envelope<Topic.PaymentCompleted>[]): Promise<void> {
    await this.orders.paymentCompleted(events);
  }

  @OnEventBatch(Topic.PaymentFailed)
  async paymentFailed(events: Envelope<Topic.PaymentFailed>[]): Promise<void> {
    await this.orders.paymentFailed(events);
  }

  @OnEventBatch(Topic.ShipmentCompleted)
  async shipmentCompleted(events: Envelope<Topic.ShipmentCompleted>[]): Promise<void> {
    await this.orders.shipmentCompleted(events);
  }
}
