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

/** A coupon the user holds, with its vendor. */
export const UserCouponView = z.object({
  id: z.string().describe('the user coupon id (a BigInt, as a string)'),
  claimId: z.uuid(),
  claimedAt: z.iso.datetime(),
  coupon: z.object({
    id: z.number().int(),
    type: z.string(),
    value: z.number().int(),
    vendor: z.object({ id: z.number().int(), name: z.string() }),
  }),
});
export type UserCouponView = z.infer<typeof UserCouponView>;

/** GET /users/:id/coupons: newest first; nextCursor is null on the last page. */
export const UserCouponsPage = z.object({ items: z.array(UserCouponView), nextCursor: z.string().nullable() });
export type UserCouponsPage = z.infer<typeof UserCouponsPage>;
