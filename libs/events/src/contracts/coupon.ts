import { z } from 'zod';
import { entityId, minorUnits, uuid } from './common';

export const ClaimPath = z.enum(['SYNC', 'KAFKA']);
export type ClaimPath = z.infer<typeof ClaimPath>;

export const ClaimRejectReason = z.enum(['SOLD_OUT', 'ALREADY_CLAIMED', 'COUPON_NOT_FOUND', 'USER_NOT_FOUND']);
export type ClaimRejectReason = z.infer<typeof ClaimRejectReason>;

/** useCouponToKafka: a claim accepted over HTTP, applied by the coupon consumer group. */
export const CouponClaimRequested = z.object({ claimId: uuid, couponId: entityId, userId: entityId });
export type CouponClaimRequested = z.infer<typeof CouponClaimRequested>;

export const CouponClaimIssued = z.object({
  claimId: uuid,
  couponId: entityId,
  userId: entityId,
  vendorId: entityId,
  value: minorUnits,
  path: ClaimPath,
});
export type CouponClaimIssued = z.infer<typeof CouponClaimIssued>;

export const CouponClaimRejected = z.object({
  claimId: uuid,
  couponId: entityId,
  userId: entityId,
  path: ClaimPath,
  reason: ClaimRejectReason,
});
export type CouponClaimRejected = z.infer<typeof CouponClaimRejected>;
