import { Inject, Injectable } from '@nestjs/common';
import { AppEnv } from '@app/config';
import { UnitOfWork } from '@app/database';
import { Envelope, Topic } from '@app/events';
import { APP_ENV } from '@app/platform';
import { decideBatch } from '../claim-decision';
import { ClaimsRepository } from '../claims.repository';
import { issueClaims } from './issue-claims';

type ClaimRequested = Envelope<Topic.CouponClaimRequested>;

/**
 * useCouponToKafka's decide side: the coupon consumer group applies a fetched batch of one
 * partition. A partition holds many coupons' keys, so the batch is split per coupon, in offset
 * order, COUPON_BATCH_SIZE claims per transaction and per lock of the coupon row: read the facts,
 * decide in memory (claim-decision.ts, the same rules as the sync path), write the outcome with a
 * handful of set-based statements. Only claims still PENDING are decided, which makes a
 * redelivery (or the reaper's re-send) harmless. Each outcome event is caused by its own
 * CouponClaimRequested: its correlation (the claim id) and its event id as causation.
 */
@Injectable()
export class ApplyQueuedClaims {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly claims: ClaimsRepository,
    @Inject(APP_ENV) private readonly env: Pick<AppEnv<'coupon'>, 'COUPON_BATCH_SIZE'>,
  ) {}

  async execute(events: ClaimRequested[]): Promise<void> {
    const byCoupon = new Map<number, ClaimRequested[]>();
    for (const e of events) {
      const list = byCoupon.get(e.payload.couponId);
      if (list) list.push(e);
      else byCoupon.set(e.payload.couponId, [e]);
    }
    const size = this.env.COUPON_BATCH_SIZE;
    for (const [couponId, list] of byCoupon) {
      for (let i = 0; i < list.length; i += size) await this.apply(couponId, list.slice(i, i + size));
    }
  }

  private apply(couponId: number, events: ClaimRequested[]): Promise<void> {
    return this.uow.runForEach(async (tx, emitFor) => {
      const claims = events.map((e) => e.payload);
      const coupon = await this.claims.lockCoupon(tx, couponId);
      const pendingIds = await this.claims.lockPending(tx, couponId, claims.map((c) => c.claimId));
      if (pendingIds.size === 0) return;
      const decision = decideBatch(claims, { coupon, pendingIds, ...(await this.claims.userFacts(tx, couponId, claims)) });
      if (coupon && decision.issued.length > 0) {
        await issueClaims(this.claims, tx, coupon, decision.issued);
        await this.claims.markIssued(tx, decision.issued.map((c) => c.claimId));
      }
      await this.claims.markRejected(tx, decision.rejected);
      // the delivery that was decided: the first of a claim in the batch (decideBatch skips repeats)
      const causeOf = new Map<string, ClaimRequested>();
      for (const e of events) if (!causeOf.has(e.payload.claimId)) causeOf.set(e.payload.claimId, e);
      for (const c of decision.issued) {
        emitFor(causeOf.get(c.claimId)!)(Topic.CouponClaimIssued, { ...c, vendorId: coupon!.vendorId, value: coupon!.value, path: 'KAFKA' });
      }
      for (const c of decision.rejected) {
        emitFor(causeOf.get(c.claimId)!)(Topic.CouponClaimRejected, { claimId: c.claimId, couponId: c.couponId, userId: c.userId, path: 'KAFKA', reason: c.reason });
      }
    });
  }
}
