import { z } from 'zod';

export const CreateVendorBody = z.strictObject({ name: z.string().trim().min(1).max(64).optional() });
export type CreateVendorBody = z.output<typeof CreateVendorBody>;

/** balance is in minor units; a JSON number is exact up to 2^53, far above any test payout. */
export interface VendorView {
  id: number;
  name: string;
  balance: number;
}

export interface SettlementLine {
  couponId: number;
  type: string;
  value: number;
  /** coupon.issued, the guarded counter */
  issued: number;
  /** user_coupon rows of the coupon: what was actually handed out */
  userCoupons: number;
  /** userCoupons * value */
  payout: number;
}

export interface SettlementView {
  vendorId: number;
  balance: number;
  coupons: SettlementLine[];
  totals: { issued: number; userCoupons: number; payout: number };
  /** payToVendor's invariant: the balance equals the sum of payouts of issued coupons. */
  balanced: boolean;
}
