import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntityId } from '../common/id.param';
import { CouponAudit, CouponView, CreateCouponBody, RandomCouponBody } from './dto/coupon.dto';
import { CouponsService } from './coupons.service';

@ApiTags('coupons')
@Controller('coupons')
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  @Post()
  create(@Body({ schema: CreateCouponBody }) body: CreateCouponBody): Promise<CouponView> {
    return this.coupons.create(body);
  }

  @Post('random')
  createRandom(@Body({ schema: RandomCouponBody }) body: RandomCouponBody): Promise<CouponView> {
    return this.coupons.createRandom(body);
  }

  @Get(':id')
  get(@Param('id', { schema: EntityId }) id: number): Promise<CouponView> {
    return this.coupons.get(id);
  }

  /** The experiment's totals check (issued, user coupons, duplicates, payouts, claims by status). */
  @Get(':id/audit')
  audit(@Param('id', { schema: EntityId }) id: number): Promise<CouponAudit> {
    return this.coupons.audit(id);
  }
}
