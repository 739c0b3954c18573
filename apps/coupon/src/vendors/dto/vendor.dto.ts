import { z } from 'zod';

export const CreateVendorBody = z.strictObject({ name: z.string().trim().min(1).max(64).optional() });
export type CreateVendorBody = z.output<typeof CreateVendorBody>;

/** balance is in minor units; a JSON number is exact up to 2^53, far above any test payout. */
export const VendorView = z.object({ id: z.number().int(), name: z.string(), balance: z.number().int() });
export type VendorView = z.infer<typeof VendorView>;

export const SettlementLine = z.object({
  couponId: z.number().int(),
  type: z.string(),
  value: z.number().int(),
  issued: z.number().int().describe('coupon.issued, the guarded counter'),
  userCoupons: z.number().int().describe('user_coupon rows of the coupon: what was actually handed out'),
  payout: z.number().int().describe('userCoupons * value'),
});
export type SettlementLine = z.infer<typeof SettlementLine>;

export const SettlementView = z.object({
  vendorId: z.number().int(),
  balance: z.number().int(),
  coupons: z.array(SettlementLine),
  totals: z.object({ issued: z.number().int(), userCoupons: z.number().int(), payout: z.number().int() }),
  balanced: z.boolean().describe("payToVendor's invariant: the balance equals the sum of payouts of issued coupons"),
});
export type SettlementView = z.infer<typeof SettlementView>;
