import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ZodValidationPipe } from '@app/platform';
import { idParam } from '../common/id.param';
import { ClaimsService } from './claims.service';
import { ClaimAccepted, ClaimCouponBody, claimIdParam, ClaimView } from './dto/claim-coupon.dto';

@ApiTags('claims')
@Controller()
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  /** useCoupon: 201 ISSUED, or 409 COUPON_SOLD_OUT / COUPON_ALREADY_CLAIMED, 404 COUPON_NOT_FOUND / USER_NOT_FOUND. */
  @Post('coupons/:id/claims')
  @ApiZodBody(ClaimCouponBody)
  claim(@Param('id', idParam('coupon id')) couponId: number, @Body(new ZodValidationPipe(ClaimCouponBody, 'body')) body: ClaimCouponBody): Promise<ClaimAccepted> {
    return this.claims.claimSync(couponId, body.userId);
  }

  /** useCouponToKafka: 202 PENDING once the claim is stored and the broker acknowledged it. */
  @Post('coupons/:id/claims/async')
  @HttpCode(202)
  @ApiZodBody(ClaimCouponBody)
  claimAsync(@Param('id', idParam('coupon id')) couponId: number, @Body(new ZodValidationPipe(ClaimCouponBody, 'body')) body: ClaimCouponBody): Promise<ClaimAccepted> {
    return this.claims.claimAsync(couponId, body.userId);
  }

  @Get('claims/:claimId')
  get(@Param('claimId', claimIdParam) claimId: string): Promise<ClaimView> {
    return this.claims.getClaim(claimId);
  }
}
