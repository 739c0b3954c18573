import { DomainError } from '@app/platform';

export class CouponNotFoundError extends DomainError {
  readonly code = 'COUPON_NOT_FOUND';
  readonly kind = 'NOT_FOUND';
  constructor(couponId: number) {
    super(`coupon ${couponId} not found`);
  }
}
