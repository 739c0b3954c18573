import { Injectable, Logger } from '@nestjs/common';
import { newId } from '@app/events';
import { ClaimQueue } from '../claim-queue';
import { ClaimQueueUnavailableError } from '../claims.errors';
import { ClaimAccepted } from '../dto/claim-coupon.dto';

/**
 * useCouponToKafka's accept side (POST /coupons/:id/claims/async): 202 PENDING once the claim is
 * stored and its message acknowledged (ClaimQueue), 503 CLAIM_QUEUE_UNAVAILABLE when it was
 * withdrawn. Existence of coupon and user is not checked here: the consumer decides
 * (COUPON_NOT_FOUND / USER_NOT_FOUND), keeping the accept path to one insert and one send.
 */
@Injectable()
export class AcceptQueuedClaim {
  private readonly log = new Logger('AcceptQueuedClaim');

  constructor(private readonly queue: ClaimQueue) {}

  async execute(couponId: number, userId: number): Promise<ClaimAccepted> {
    const claimId = newId();
    try {
      await this.queue.enqueue({ claimId, couponId, userId });
    } catch (error) {
      this.log.warn(`claim ${claimId} not queued: ${(error as Error)?.message ?? String(error)}`);
      throw new ClaimQueueUnavailableError(claimId, error);
    }
    return { claimId, status: 'PENDING' };
  }
}
