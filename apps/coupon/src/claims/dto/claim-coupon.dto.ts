import { z } from 'zod';
import { UUID_PATTERN } from '@app/events';

/** Body of both claim endpoints. userId must be a JSON number: "12" is a client bug, not a user. */
export const ClaimCouponBody = z.strictObject({ userId: z.number().int().positive().max(2_147_483_647) });
export type ClaimCouponBody = z.output<typeof ClaimCouponBody>;

export const ClaimId = z.string().regex(UUID_PATTERN, 'expected a claim id (uuid)');

export interface ClaimAccepted {
  claimId: string;
  status: 'ISSUED' | 'PENDING';
}

export interface ClaimView {
  claimId: string;
  userId: number;
  couponId: number;
  path: 'SYNC' | 'KAFKA';
  status: 'PENDING' | 'ISSUED' | 'REJECTED';
  reason?: string;
}
