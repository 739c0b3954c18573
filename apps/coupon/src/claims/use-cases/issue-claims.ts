import { Tx } from '@app/database';
import { QueuedClaim } from '../claim-decision';
import { ClaimsRepository, LockedCoupon } from '../claims.repository';

/**
 * What issuing a decided batch writes, on both paths: the user coupons, the coupon's issued count
 * through the cap guard, the vendor's payout. The decision was made under the coupon row's lock, so
 * the guard cannot refuse; if it ever does, this throws and the transaction rolls back rather than
 * pass the cap.
 */
export async function issueClaims(claims: ClaimsRepository, tx: Tx, coupon: LockedCoupon, issued: QueuedClaim[]): Promise<void> {
  if (issued.length === 0) return;
  await claims.insertUserCoupons(tx, issued);
  if (!(await claims.addIssued(tx, coupon.id, issued.length))) {
    throw new Error(`cap guard refused ${issued.length} claims of coupon ${coupon.id}`);
  }
  await claims.creditVendor(tx, coupon.vendorId, BigInt(issued.length) * BigInt(coupon.value));
}
