import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEvent } from '@app/kafka';
import { OrdersService } from './orders.service';

/** The saga's outcomes, applied to the order (each at most once, see OrdersService). */
@Controller()
export class OrdersConsumer {
  constructor(private readonly orders: OrdersService) {}

  @OnEvent(Topic.StockReserved)
  async stockReserved(event: Envelope<Topic.StockReserved>): Promise<void> {
    await this.orders.stockReserved(event);
  }

  @OnEvent(Topic.StockRejected)
  async stockRejected(event: Envelope<Topic.StockRejected>): Promise<void> {
    await this.orders.stockRejected(event);
  }

  @OnEvent(Topic.PaymentCompleted)
  async paymentCompleted(event: Envelope<Topic.PaymentCompleted>): Promise<void> {
    await this.orders.paymentCompleted(event);
  }

  @OnEvent(Topic.PaymentFailed)
  async paymentFailed(event: Envelope<Topic.PaymentFailed>): Promise<void> {
    await this.orders.paymentFailed(event);
  }

  @OnEvent(Topic.ShipmentCompleted)
  async shipmentCompleted(event: Envelope<Topic.ShipmentCompleted>): Promise<void> {
    await this.orders.shipmentCompleted(event);
  }
}
