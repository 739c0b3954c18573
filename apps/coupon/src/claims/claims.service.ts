import { Inject, Injectable } from '@nestjs/common';
import { AppEnv } from '@app/config';
import { Envelope, newId, Topic } from '@app/events';
import { APP_ENV } from '@app/platform';
import { CouponNotFoundError } from '../coupons/coupons.errors';
import { UserNotFoundError } from '../users/users.errors';
import { QueuedClaim } from './claim-decision';
import { ClaimQueue } from './claim-queue';
import { ClaimsRepository } from './claims.repository';
import { Limiter } from './limiter';
import {
  ClaimNotFoundError,
  ClaimQueueUnavailableError,
  CouponAlreadyClaimedError,
  CouponSoldOutError,
} from './claims.errors';
import { ClaimAccepted, ClaimView } from './dto/claim-coupon.dto';

@Injectable()
export class ClaimsService {
  // Leaves two connections of the pool to the queued path and the consumer.
  private readonly syncLimit: Limiter;
  private readonly soldOut = new Set<number>();

  constructor(
    private readonly repository: ClaimsRepository,
    private readonly queue: ClaimQueue,
    @Inject(APP_ENV) private readonly env: AppEnv<'coupon'>,
  ) {
    this.syncLimit = new Limiter(Math.max(1, env.DATABASE_POOL_SIZE - 2));
  }

  /**
   * useCoupon, at most DATABASE_POOL_SIZE - 2 at a time (limiter.ts). The precheck answers the common rejections without a transaction (a sold-out
   * coupon never becomes available again, so reading `issued >= total` unlocked is final); the
   * transaction re-checks everything under the guard, so the precheck is never trusted for safety.
   */
  async claimSync(couponId: number, userId: number): Promise<ClaimAccepted> {
    // Sold out is final (issued never goes down), so the burst behind the 100th claim is answered
    // from memory instead of queueing for the database. Only a hint: the guard stays in SQL.
    if (this.soldOut.has(couponId)) throw new CouponSoldOutError(couponId);
    try {
      return await this.syncLimit.run(() => this.claimSyncNow(couponId, userId));
    } catch (error) {
      if (error instanceof CouponSoldOutError) this.soldOut.add(couponId);
      throw error;
    }
  }

  private async claimSyncNow(couponId: number, userId: number): Promise<ClaimAccepted> {
    const pre = await this.repository.precheck(couponId, userId);
    if (!pre.coupon) throw new CouponNotFoundError(couponId);
    if (!pre.userExists) throw new UserNotFoundError(userId);
    if (pre.alreadyHolds) throw new CouponAlreadyClaimedError(couponId, userId);
    if (pre.coupon.issued >= pre.coupon.total) throw new CouponSoldOutError(couponId);
    const claimId = newId();
    await this.repository.issueSync({ claimId, couponId, userId }, pre.coupon);
    return { claimId, status: 'ISSUED' };
  }

  /**
   * useCouponToKafka. Existence of coupon and user is not checked here: the consumer decides
   * (COUPON_NOT_FOUND / USER_NOT_FOUND), keeping the accept path to one insert and one send.
   */
  async claimAsync(couponId: number, userId: number): Promise<ClaimAccepted> {
    const claimId = newId();
    try {
      await this.queue.enqueue({ claimId, couponId, userId });
    } catch (error) {
      throw new ClaimQueueUnavailableError(claimId, error);
    }
    return { claimId, status: 'PENDING' };
  }

  async getClaim(claimId: string): Promise<ClaimView> {
    const claim = await this.repository.findClaim(claimId);
    if (!claim) throw new ClaimNotFoundError(claimId);
    return claim;
  }

  /**
   * Applies a fetched batch of one partition: per coupon (a partition holds many coupons' keys),
   * in offset order, COUPON_BATCH_SIZE claims per transaction.
   */
  async applyQueued(events: Envelope<Topic.CouponClaimRequested>[]): Promise<void> {
    const byCoupon = new Map<number, QueuedClaim[]>();
    for (const e of events) {
      const list = byCoupon.get(e.payload.couponId) ?? [];
      list.push(e.payload);
      byCoupon.set(e.payload.couponId, list);
    }
    const size = this.env.COUPON_BATCH_SIZE;
    for (const [couponId, claims] of byCoupon) {
      for (let i = 0; i < claims.length; i += size) {
        const chunk = claims.slice(i, i + size);
        await this.repository.applyBatch(couponId, chunk, chunk.length === 1 ? chunk[0].claimId : undefined);
      }
    }
  }
}
