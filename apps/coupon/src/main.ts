import { main } from '@app/platform';
import { CouponModule } from './coupon.module';

main('coupon', CouponModule);
