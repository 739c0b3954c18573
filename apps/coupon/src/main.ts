import { main } from '@app/platform';
import { couponSetup } from './coupon.setup';
import { CouponModule } from './coupon.module';

main('coupon', CouponModule, couponSetup);
