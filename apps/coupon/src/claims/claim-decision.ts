import { ClaimRejectReason } from '@app/events';

/** One queued claim as the consumer sees it, in offset order. */
export interface QueuedClaim {
  claimId: string;
  userId: number;
  couponId: number;
}

export interface CouponState {
  id: number;
  total: number;
  issued: number;
}

export interface BatchFacts {
  /** The coupon, or undefined when it does not exist. */
  coupon: CouponState | undefined;
  /**
   * Queued path: the claims of the batch that are still PENDING in the database (the others were
   * decided by an earlier delivery). Absent on the sync path, whose claims are all new.
   */
  pendingIds?: ReadonlySet<string>;
  /** Users of the batch that exist. */
  existingUsers: ReadonlySet<number>;
  /** Users of the batch that already hold the coupon. */
  holders: ReadonlySet<number>;
}

export interface BatchDecision {
  issued: QueuedClaim[];
  rejected: (QueuedClaim & { reason: ClaimRejectReason })[];
}

/**
 * Decides a batch of one coupon's claims in memory, first come first served (offset order).
 * Pure: the caller holds the coupon row lock while it reads the facts and writes the outcome,
 * so nobody else can change `issued` in between. Claims that are not PENDING any more were
 * already decided by an earlier delivery and are skipped — that is what makes redelivery harmless.
 */
export function decideBatch(claims: readonly QueuedClaim[], facts: BatchFacts): BatchDecision {
  const decision: BatchDecision = { issued: [], rejected: [] };
  const seen = new Set<string>();
  const holders = new Set(facts.holders);
  let remaining = facts.coupon ? Math.max(0, facts.coupon.total - facts.coupon.issued) : 0;
  for (const claim of claims) {
    if (seen.has(claim.claimId) || (facts.pendingIds && !facts.pendingIds.has(claim.claimId))) continue;
    seen.add(claim.claimId);
    const reason = rejectReason(claim, facts, holders, remaining);
    if (reason) {
      decision.rejected.push({ ...claim, reason });
      continue;
    }
    decision.issued.push(claim);
    holders.add(claim.userId);
    remaining--;
  }
  return decision;
}

function rejectReason(
  claim: QueuedClaim,
  facts: BatchFacts,
  holders: ReadonlySet<number>,
  remaining: number,
): ClaimRejectReason | undefined {
  if (!facts.coupon || facts.coupon.id !== claim.couponId) return 'COUPON_NOT_FOUND';
  if (!facts.existingUsers.has(claim.userId)) return 'USER_NOT_FOUND';
  // A user who holds the coupon (before or earlier in this batch) is a duplicate even when sold out.
  if (holders.has(claim.userId)) return 'ALREADY_CLAIMED';
  if (remaining <= 0) return 'SOLD_OUT';
  return undefined;
}
