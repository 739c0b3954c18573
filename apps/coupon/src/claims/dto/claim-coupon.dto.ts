import { z } from 'zod';
import { ClaimRejectReason, UUID_PATTERN } from '@app/events';

/**
 * Body of both claim endpoints: none, or `{}`. The claiming user is the bearer token's subject, never
 * a field of the body — a `userId` in it is refused (400), so a client still sending one learns at once.
 */
export const ClaimCouponBody = z.strictObject({});
export type ClaimCouponBody = z.output<typeof ClaimCouponBody>;

export const ClaimId = z.string().regex(UUID_PATTERN, 'expected a claim id (uuid)');

/** The answer of both claim endpoints: ISSUED on the sync path, PENDING on the queued one. */
export const ClaimAccepted = z.object({ claimId: z.uuid(), status: z.enum(['ISSUED', 'PENDING']) }).meta({ id: 'ClaimAccepted' });
export type ClaimAccepted = z.infer<typeof ClaimAccepted>;

/** A claim of either path; `reason` once it was rejected. */
export const ClaimView = z
  .object({
    claimId: z.uuid(),
    userId: z.number().int(),
    couponId: z.number().int(),
    path: z.enum(['SYNC', 'KAFKA']),
    status: z.enum(['PENDING', 'ISSUED', 'REJECTED']),
    reason: ClaimRejectReason.optional(),
  })
  .meta({ id: 'ClaimView' });
export type ClaimView = z.infer<typeof ClaimView>;
