import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEvent } from '@app/kafka';
import { NotificationsService } from './notifications.service';

/**
 * Every topic of the system, in the notification group. The spec beside it checks that no topic of
 * the Topic enum is missing here.
 */
@Controller()
export class NotificationsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @OnEvent(Topic.OrderCreated)
  async orderCreated(event: Envelope<Topic.OrderCreated>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.StockReserved)
  async stockReserved(event: Envelope<Topic.StockReserved>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.StockRejected)
  async stockRejected(event: Envelope<Topic.StockRejected>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.StockReleased)
  async stockReleased(event: Envelope<Topic.StockReleased>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.PaymentCompleted)
  async paymentCompleted(event: Envelope<Topic.PaymentCompleted>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.PaymentFailed)
  async paymentFailed(event: Envelope<Topic.PaymentFailed>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.ShipmentCompleted)
  async shipmentCompleted(event: Envelope<Topic.ShipmentCompleted>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.CouponClaimRequested)
  async claimRequested(event: Envelope<Topic.CouponClaimRequested>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.CouponClaimIssued)
  async claimIssued(event: Envelope<Topic.CouponClaimIssued>): Promise<void> {
    await this.notifications.notify(event);
  }

  @OnEvent(Topic.CouponClaimRejected)
  async claimRejected(event: Envelope<Topic.CouponClaimRejected>): Promise<void> {
    await this.notifications.notify(event);
  }
}
