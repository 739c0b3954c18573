import { main } from '@app/platform';
import { couponKafka } from './coupon.kafka';
import { CouponModule } from './coupon.module';

main('coupon', CouponModule, { kafka: couponKafka });
