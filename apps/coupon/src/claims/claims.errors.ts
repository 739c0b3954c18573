import { DomainError } from '@app/platform';

/** Stable codes of the claim API (clients switch on `code`). */
export enum ClaimErrorCode {
  SoldOut = 'COUPON_SOLD_OUT',
  AlreadyClaimed = 'COUPON_ALREADY_CLAIMED',
  ClaimNotFound = 'CLAIM_NOT_FOUND',
  QueueUnavailable = 'CLAIM_QUEUE_UNAVAILABLE',
}

export class CouponSoldOutError extends DomainError {
  readonly code = ClaimErrorCode.SoldOut;
  readonly kind = 'CONFLICT';
  constructor(couponId: number) {
    super(`coupon ${couponId} is sold out`);
  }
}

export class CouponAlreadyClaimedError extends DomainError {
  readonly code = ClaimErrorCode.AlreadyClaimed;
  readonly kind = 'CONFLICT';
  constructor(couponId: number, userId: number) {
    super(`user ${userId} already holds coupon ${couponId}`);
  }
}

export class ClaimNotFoundError extends DomainError {
  readonly code = ClaimErrorCode.ClaimNotFound;
  readonly kind = 'NOT_FOUND';
  constructor(claimId: string) {
    super(`claim ${claimId} not found`);
  }
}

/**
 * The queued claim could not be made durable on both sides (database row + acknowledged Kafka
 * message): its row was not written, or was withdrawn. It is never issued (GET on
 * `details.claimId` says 404), so trying again is safe. A claim that could not be withdrawn is
 * answered 202 instead: the claim reaper sends it (claim-queue.ts).
 */
export class ClaimQueueUnavailableError extends DomainError {
  readonly code = ClaimErrorCode.QueueUnavailable;
  readonly kind = 'UNAVAILABLE';
  constructor(claimId: string, cause: unknown) {
    super(`claim could not be queued: ${(cause as Error)?.message ?? String(cause)}`, { claimId });
  }
}
