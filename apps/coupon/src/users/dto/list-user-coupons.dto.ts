import { z } from 'zod';
import { EntityId } from '../../common/id.param';

/** getUserCoupons filters; `cursor` is the opaque nextCursor of the previous page. */
export const ListUserCouponsQuery = z.strictObject({
  type: z.string().min(1).max(32).optional(),
  vendorId: EntityId.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^\d{1,19}$/, 'expected a nextCursor value').optional(),
});
export type ListUserCouponsQuery = z.output<typeof ListUserCouponsQuery>;

export interface UserCouponView {
  id: string;
  claimId: string;
  claimedAt: string;
  coupon: { id: number; type: string; value: number; vendor: { id: number; name: string } };
}

export interface UserCouponsPage {
  items: UserCouponView[];
  nextCursor: string | null;
}
