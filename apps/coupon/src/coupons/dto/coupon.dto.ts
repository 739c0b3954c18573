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

export interface CouponView {
  id: number;
  type: string;
  value: number;
  total: number;
  issued: number;
  vendorId: number;
  remaining?: number;
}

/** The totals check of the concurrency experiment, computed by the database in one place. */
export interface CouponAudit {
  couponId: number;
  total: number;
  issued: number;
  userCoupons: number;
  distinctUsers: number;
  duplicates: number;
  vendorId: number;
  vendorBalance: number;
  vendorPayouts: number;
  claims: Record<string, number>;
}
