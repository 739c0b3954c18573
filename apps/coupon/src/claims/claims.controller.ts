import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, ForbiddenError, isOperator, Principal, Roles } from '@app/platform';
import { EntityId } from '../common/id.param';
import { CLAIM_ROUTE, QUEUED_CLAIM_ROUTE } from './claim-routes';
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
  @Post(CLAIM_ROUTE)
  @ApiCreatedResponse({ standardSchema: ClaimAccepted, description: 'ISSUED: the claim, its user coupon and the payout are committed.' })
  @ApiErrors(400, { 404: 'COUPON_NOT_FOUND or USER_NOT_FOUND', 409: 'COUPON_SOLD_OUT or COUPON_ALREADY_CLAIMED' }, 429, 503)
  @Roles('user')
  claim(@Param('id', { schema: EntityId }) couponId: number, @Body({ schema: ClaimCouponBody }) _body: ClaimCouponBody, @CurrentPrincipal() principal: Principal): Promise<ClaimAccepted> {
    return this.claimSync.execute(couponId, couponUserOf(principal));
  }

  /** useCouponToKafka: 202 PENDING once the claim is stored and the broker acknowledged it. */
  @Post(QUEUED_CLAIM_ROUTE)
  @HttpCode(202)
  @ApiAcceptedResponse({ standardSchema: ClaimAccepted, description: 'PENDING: stored and on Kafka; GET /claims/{claimId} tells the outcome.' })
  @ApiErrors(400, 429, { 503: 'CLAIM_QUEUE_UNAVAILABLE (the claim was withdrawn: nothing stays) or DEPENDENCY_UNAVAILABLE' })
  @Roles('user')
  claimAsync(@Param('id', { schema: EntityId }) couponId: number, @Body({ schema: ClaimCouponBody }) _body: ClaimCouponBody, @CurrentPrincipal() principal: Principal): Promise<ClaimAccepted> {
    return this.acceptQueued.execute(couponId, couponUserOf(principal));
  }

  @Get('claims/:claimId')
  @ApiOkResponse({ standardSchema: ClaimView, description: 'The claim, with its reason once REJECTED.' })
  @ApiErrors(400, { 404: "CLAIM_NOT_FOUND (also for another user's claim)" }, 503)
  @Roles()
  get(@Param('claimId', { schema: ClaimId }) claimId: string, @CurrentPrincipal() principal: Principal): Promise<ClaimView> {
    return this.getClaim.execute(claimId, isOperator(principal) ? undefined : couponUserOf(principal));
  }
}

/** The coupon user a user's token stands for: its subject, a user id. */
function couponUserOf(principal: Principal): number {
  const id = /^[1-9]\d{0,9}$/.test(principal.subject) ? Number(principal.subject) : NaN;
  if (!(id <= 2_147_483_647)) throw new ForbiddenError(`the token's subject (${principal.subject}) is not a coupon user id`);
  return id;
}
