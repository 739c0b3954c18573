import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppEnv } from '@app/config';
import { GroupCommit } from '@app/database';
import { ClaimRejectReason, Envelope, newId, Topic } from '@app/events';
import { APP_ENV } from '@app/platform';
import { CouponNotFoundError } from '../coupons/coupons.errors';
import { UserNotFoundError } from '../users/users.errors';
import { QueuedClaim } from './claim-decision';
import { ClaimQueue } from './claim-queue';
import { ClaimsRepository } from './claims.repository';
import {
  ClaimNotFoundError,
  ClaimQueueUnavailableError,
  CouponAlreadyClaimedError,
  CouponSoldOutError,
} from './claims.errors';
import { ClaimAccepted, ClaimView } from './dto/claim-coupon.dto';

/** One sync request riding in a group commit; the flush writes its outcome here. */
interface SyncSlot {
  claim: QueuedClaim;
  outcome?: ClaimRejectReason | 'ISSUED';
}

// Concurrent sync claims on one coupon share one transaction (one lock of the coupon row):
// up to 200 per transaction, two transactions per coupon at once (the second one's round trips
// overlap the first one's commit), no linger — an idle request goes alone at once.
const SYNC_GROUP_COMMIT = { maxBatch: 200, lingerMs: 0, maxInFlight: 2 };

@Injectable()
export class ClaimsService {
  private readonly log = new Logger('ClaimsService');
  private readonly soldOut = new Set<number>();
  private readonly syncGroups = new Map<number, GroupCommit<SyncSlot>>();

  constructor(
    private readonly repository: ClaimsRepository,
    private readonly queue: ClaimQueue,
    @Inject(APP_ENV) private readonly env: AppEnv<'coupon'>,
  ) {}

  /**
   * useCoupon. The answer is given only after the claim's own transaction committed (ISSUED) or
   * decided it under the coupon row lock (the rejection, which writes nothing). Requests that
   * arrive together on one coupon are decided together, in arrival order (sync group commit):
   * every claim of a coupon queues on its row lock anyway, so one lock per group instead of one
   * per claim is where the sync path gets its throughput. The cap guard stays in SQL.
   */
  async claimSync(couponId: number, userId: number): Promise<ClaimAccepted> {
    // Sold out is final (issued never goes down), so the burst behind the last claim is answered
    // from memory instead of queueing for the database. Only a hint: the guard stays in SQL.
    if (this.soldOut.has(couponId)) throw new CouponSoldOutError(couponId);
    const slot: SyncSlot = { claim: { claimId: newId(), couponId, userId } };
    await this.syncGroup(couponId).submit(slot);
    switch (slot.outcome) {
      case 'ISSUED':
        return { claimId: slot.claim.claimId, status: 'ISSUED' };
      case 'SOLD_OUT':
        this.soldOut.add(couponId);
        throw new CouponSoldOutError(couponId);
      case 'ALREADY_CLAIMED':
        throw new CouponAlreadyClaimedError(couponId, userId);
      case 'USER_NOT_FOUND':
        throw new UserNotFoundError(userId);
      case 'COUPON_NOT_FOUND':
        throw new CouponNotFoundError(couponId);
      default:
        throw new Error(`claim ${slot.claim.claimId} was not decided (${String(slot.outcome)})`);
    }
  }

  private syncGroup(couponId: number): GroupCommit<SyncSlot> {
    let group = this.syncGroups.get(couponId);
    if (!group) {
      group = new GroupCommit<SyncSlot>(async (slots) => {
        try {
          const decision = await this.repository.issueSyncBatch(couponId, slots.map((s) => s.claim));
          const outcome = new Map<string, SyncSlot['outcome']>();
          for (const c of decision.issued) outcome.set(c.claimId, 'ISSUED');
          for (const c of decision.rejected) outcome.set(c.claimId, c.reason);
          for (const s of slots) s.outcome = outcome.get(s.claim.claimId);
        } finally {
          this.releaseSyncGroup(couponId);
        }
      }, SYNC_GROUP_COMMIT);
      this.syncGroups.set(couponId, group);
    }
    return group;
  }

  // Idle coupons do not keep a group in memory.
  private releaseSyncGroup(couponId: number): void {
    setImmediate(() => {
      const group = this.syncGroups.get(couponId);
      if (group && group.idle) this.syncGroups.delete(couponId);
    });
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
      this.log.warn(`claim ${claimId} not queued: ${(error as Error)?.message ?? String(error)}`);
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
