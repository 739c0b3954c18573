import { Injectable } from '@nestjs/common';
import { GroupCommit } from '@app/batching';
import { UnitOfWork } from '@app/database';
import { ClaimRejectReason, newId, Topic } from '@app/events';
import { CouponNotFoundError } from '../../coupons/coupons.errors';
import { UserNotFoundError } from '../../users/users.errors';
import { decideBatch, QueuedClaim } from '../claim-decision';
import { ClaimsRepository } from '../claims.repository';
import { CouponAlreadyClaimedError, CouponSoldOutError } from '../claims.errors';
import { ClaimAccepted } from '../dto/claim-coupon.dto';
import { SYNC_GROUP_COMMIT } from '../sync-group-commit';
import { issueClaims } from './issue-claims';

type Outcome = 'ISSUED' | ClaimRejectReason;


/**
 * useCoupon (POST /coupons/:id/claims). The answer is given only after the claim's own
 * transaction committed (ISSUED) or decided it under the coupon row lock (a rejection, which
 * writes nothing). Requests that arrive together on one coupon are decided together, in arrival
 * order (group commit): every claim of a coupon queues on its row lock anyway, so one lock per
 * group instead of one per claim is where the sync path gets its throughput. The cap guard stays
 * in SQL. Each issued claim's event is correlated by its own claim id, whatever the group's size.
 */
@Injectable()
export class ClaimSync {
  private readonly soldOut = new Set<number>();
  private readonly groups = new Map<number, GroupCommit<QueuedClaim, Outcome>>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly claims: ClaimsRepository,
  ) {}

  async execute(couponId: number, userId: number): Promise<ClaimAccepted> {
    // Sold out is final (issued never goes down), so the burst behind the last claim is answered
    // from memory instead of queueing for the database. Only a hint: the guard stays in SQL.
    if (this.soldOut.has(couponId)) throw new CouponSoldOutError(couponId);
    const claim: QueuedClaim = { claimId: newId(), couponId, userId };
    const outcome = await this.group(couponId).submit(claim);
    switch (outcome) {
      case 'ISSUED':
        return { claimId: claim.claimId, status: 'ISSUED' };
      case 'SOLD_OUT':
        this.soldOut.add(couponId);
        throw new CouponSoldOutError(couponId);
      case 'ALREADY_CLAIMED':
        throw new CouponAlreadyClaimedError(couponId, userId);
      case 'USER_NOT_FOUND':
        throw new UserNotFoundError(userId);
      case 'COUPON_NOT_FOUND':
        throw new CouponNotFoundError(couponId);
    }
  }

  /** One group's transaction: lock the coupon, read the facts, decide in memory, write the issued ones. */
  private decide(couponId: number, batch: QueuedClaim[]): Promise<Outcome[]> {
    return this.uow.runForEach(async (tx, emitFor) => {
      const coupon = await this.claims.lockCoupon(tx, couponId);
      if (!coupon) return batch.map((): Outcome => 'COUPON_NOT_FOUND');
      const decision = decideBatch(batch, { coupon, ...(await this.claims.userFacts(tx, couponId, batch)) });
      if (decision.issued.length > 0) {
        await this.claims.insertIssued(tx, decision.issued);
        await issueClaims(this.claims, tx, coupon, decision.issued);
        for (const c of decision.issued) {
          emitFor({ correlationId: c.claimId, actor: String(c.userId) })(Topic.CouponClaimIssued, { ...c, vendorId: coupon.vendorId, value: coupon.value, path: 'SYNC' });
        }
      }
      const outcome = new Map<string, Outcome>(decision.rejected.map((c) => [c.claimId, c.reason]));
      return batch.map((c) => outcome.get(c.claimId) ?? 'ISSUED');
    });
  }

  private group(couponId: number): GroupCommit<QueuedClaim, Outcome> {
    let group = this.groups.get(couponId);
    if (!group) {
      group = new GroupCommit<QueuedClaim, Outcome>((batch) => this.decide(couponId, batch).finally(() => this.release(couponId)), SYNC_GROUP_COMMIT);
      this.groups.set(couponId, group);
    }
    return group;
  }

  // Idle coupons do not keep a group in memory.
  private release(couponId: number): void {
    setImmediate(() => {
      if (this.groups.get(couponId)?.idle) this.groups.delete(couponId);
    });
  }
}
