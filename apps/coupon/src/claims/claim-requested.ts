import { createEnvelope, Envelope, Topic } from '@app/events';
import { QueuedClaim } from './claim-decision';

/**
 * The message of a queued claim, for the first send and for every re-send by the reaper alike:
 * keyed by coupon (see the event map), correlated by the claim's own id, its actor the claiming user.
 */
export const claimRequested = (c: QueuedClaim): Envelope<Topic.CouponClaimRequested> =>
  createEnvelope(
    Topic.CouponClaimRequested,
    { claimId: c.claimId, couponId: c.couponId, userId: c.userId },
    { producer: 'coupon', correlationId: c.claimId, actor: String(c.userId) },
  );
