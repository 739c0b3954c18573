import { z } from 'zod';

const id = z.number().int().positive().max(2_147_483_647);

export const CreateCouponBody = z.strictObject({
  type: z.string().trim().min(1).max(32),
  /** payout per issued coupon, in minor units */
  value: z.number().int().nonnegative().max(100_000_000),
  total: z.number().int().positive().max(10_000_000).default(100),
  vendorId: id,
});
export type CreateCouponBody = z.output<typeof CreateCouponBody>;

/** generateRandomCoupon: for this vendor, or for a new random one when omitted. */
export const RandomCouponBody = z.strictObject({ vendorId: id.optional(), total: z.number().int().positive().max(10_000_000).optional() });
export type RandomCouponBody = z.output<typeof RandomCouponBody>;

export const CouponView = z.object({
  id: z.number().int(),
  type: z.string(),
  value: z.number().int().describe('payout per issued coupon, in minor units'),
  total: z.number().int().describe('the cap'),
  issued: z.number().int(),
  vendorId: z.number().int(),
  remaining: z.number().int().optional().describe('total - issued (GET only)'),
});
export type CouponView = z.infer<typeof CouponView>;

/** The totals check of the concurrency experiment, computed by the database in one place (CouponFacts of @app/platform/invariants). */
export const CouponAudit = z.object({
  couponId: z.number().int(),
  total: z.number().int(),
  issued: z.number().int(),
  userCoupons: z.number().int().describe('coupon_user_coupon rows of the coupon'),
  distinctUsers: z.number().int(),
  duplicates: z.number().int().describe('userCoupons - distinctUsers'),
  vendorId: z.number().int(),
  vendorBalance: z.number().int().describe('minor units'),
  vendorPayouts: z.number().int().describe("the value of every user coupon of the vendor's coupons, summed (minor units)"),
  claims: z.record(z.string(), z.number().int()).describe('claims by status, keyed STATUS or STATUS:REASON'),
});
export type CouponAudit = z.infer<typeof CouponAudit>;
