import { Module } from '@nestjs/common';
import { ClaimsModule } from './claims/claims.module';
import { CouponsModule } from './coupons/coupons.module';
import { OpsModule } from './ops/ops.module';
import { UsersModule } from './users/users.module';
import { VendorsModule } from './vendors/vendors.module';

/** The coupon app: users, vendors, coupons, the two claim paths and the consumer-group ops view. */
@Module({ imports: [UsersModule, VendorsModule, CouponsModule, ClaimsModule, OpsModule] })
export class CouponModule {}
