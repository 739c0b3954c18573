import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Public, Roles } from '@app/platform';
import { EntityId } from '../common/id.param';
import { CouponAudit, CouponView, CreateCouponBody, RandomCouponBody } from './dto/coupon.dto';
import { CouponsService } from './coupons.service';

@ApiTags('coupons')
@Controller('coupons')
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  @Post()
  @Roles('operator')
  @ApiCreatedResponse({ standardSchema: CouponView, description: 'The new coupon (nothing issued yet).' })
  @ApiErrors(400, { 404: 'VENDOR_NOT_FOUND' }, 503)
  create(@Body({ schema: CreateCouponBody }) body: CreateCouponBody): Promise<CouponView> {
    return this.coupons.create(body);
  }

  @Post('random')
  @Roles('operator')
  @ApiCreatedResponse({ standardSchema: CouponView, description: 'A new coupon of a catalog type, for the vendor given or a new random one.' })
  @ApiErrors(400, { 404: 'VENDOR_NOT_FOUND' }, 503)
  createRandom(@Body({ schema: RandomCouponBody }) body: RandomCouponBody): Promise<CouponView> {
    return this.coupons.createRandom(body);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ standardSchema: CouponView, description: 'The coupon, with what remains of its cap.' })
  @ApiErrors(400, { 404: 'COUPON_NOT_FOUND' }, 503)
  get(@Param('id', { schema: EntityId }) id: number): Promise<CouponView> {
    return this.coupons.get(id);
  }

  /** The experiment's totals check (issued, user coupons, duplicates, payouts, claims by status). */
  @Get(':id/audit')
  @Roles('operator')
  @ApiOkResponse({ standardSchema: CouponAudit, description: "The coupon's totals, counted from the tables." })
  @ApiErrors(400, { 404: 'COUPON_NOT_FOUND' }, 503)
  audit(@Param('id', { schema: EntityId }) id: number): Promise<CouponAudit> {
    return this.coupons.audit(id);
  }
}
