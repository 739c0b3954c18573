import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ZodValidationPipe } from '@app/platform';
import { idParam } from '../common/id.param';
import { CouponAudit, CouponView, CreateCouponBody, RandomCouponBody } from './dto/coupon.dto';
import { CouponsService } from './coupons.service';

@ApiTags('coupons')
@Controller('coupons')
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  @Post()
  @ApiZodBody(CreateCouponBody)
  create(@Body(new ZodValidationPipe(CreateCouponBody, 'body')) body: CreateCouponBody): Promise<CouponView> {
    return this.coupons.create(body);
  }

  @Post('random')
  @ApiZodBody(RandomCouponBody)
  createRandom(@Body(new ZodValidationPipe(RandomCouponBody, 'body')) body: RandomCouponBody): Promise<CouponView> {
    return this.coupons.createRandom(body);
  }

  @Get(':id')
  get(@Param('id', idParam('coupon id')) id: number): Promise<CouponView> {
    return this.coupons.get(id);
  }

  /** The experiment's totals check (issued, user coupons, duplicates, payouts, claims by status). */
  @Get(':id/audit')
  audit(@Param('id', idParam('coupon id')) id: number): Promise<CouponAudit> {
    return this.coupons.audit(id);
  }
}
