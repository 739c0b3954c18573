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
 * message). The claim was withdrawn unless a consumer had already applied it: `details.claimId`
 * lets the client look; 404 there means "not accepted, try again".
 */
export class ClaimQueueUnavailableError extends DomainError {
  readonly code = ClaimErrorCode.QueueUnavailable;
  readonly kind = 'UNAVAILABLE';
  constructor(claimId: string, cause: unknown) {
    super(`claim could not be queued: ${(cause as Error)?.message ?? String(cause)}`, { claimId });
  }
}
