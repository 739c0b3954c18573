import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntityId } from '../common/id.param';
import { ClaimAccepted, ClaimCouponBody, ClaimId, ClaimView } from './dto/claim-coupon.dto';
import { AcceptQueuedClaim } from './use-cases/accept-queued-claim';
import { ClaimSync } from './use-cases/claim-sync';
import { GetClaim } from './use-cases/get-claim';

@ApiTags('claims')
@Controller()
export class ClaimsController {
  constructor(
    private readonly claimSync: ClaimSync,
    private readonly acceptQueued: AcceptQueuedClaim,
    private readonly getClaim: GetClaim,
  ) {}

  /** useCoupon: 201 ISSUED, or 409 COUPON_SOLD_OUT / COUPON_ALREADY_CLAIMED, 404 COUPON_NOT_FOUND / USER_NOT_FOUND. */
  @Post('coupons/:id/claims')
  claim(@Param('id', { schema: EntityId }) couponId: number, @Body({ schema: ClaimCouponBody }) body: ClaimCouponBody): Promise<ClaimAccepted> {
    return this.claimSync.execute(couponId, body.userId);
  }

  /** useCouponToKafka: 202 PENDING once the claim is stored and the broker acknowledged it. */
  @Post('coupons/:id/claims/async')
  @HttpCode(202)
  claimAsync(@Param('id', { schema: EntityId }) couponId: number, @Body({ schema: ClaimCouponBody }) body: ClaimCouponBody): Promise<ClaimAccepted> {
    return this.acceptQueued.execute(couponId, body.userId);
  }

  @Get('claims/:claimId')
  get(@Param('claimId', { schema: ClaimId }) claimId: string): Promise<ClaimView> {
    return this.getClaim.execute(claimId);
  }
}
