import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEventBatch } from '@app/kafka';
import { ApplyQueuedClaims } from './use-cases/apply-queued-claims';

/** The coupon consumer group's side of useCouponToKafka. */
@Controller()
export class ClaimsConsumer {
  constructor(private readonly applyQueued: ApplyQueuedClaims) {}

  // A whole fetched batch at once (no 500-message split): ApplyQueuedClaims groups it by coupon and
  // applies COUPON_BATCH_SIZE claims per lock of a coupon row.
  @OnEventBatch(Topic.CouponClaimRequested, { maxBatch: 100_000 })
  apply(events: Envelope<Topic.CouponClaimRequested>[]): Promise<void> {
    return this.applyQueued.execute(events);
  }
}
