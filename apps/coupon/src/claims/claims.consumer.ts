import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEventBatch } from '@app/kafka';
import { ClaimsService } from './claims.service';

/** The coupon consumer group's side of useCouponToKafka. */
@Controller()
export class ClaimsConsumer {
  constructor(private readonly claims: ClaimsService) {}

  // A whole fetched batch of one partition at once: one lock of a coupon row per batch.
  @OnEventBatch(Topic.CouponClaimRequested)
  apply(events: Envelope<Topic.CouponClaimRequested>[]): Promise<void> {
    return this.claims.applyQueued(events);
  }
}
