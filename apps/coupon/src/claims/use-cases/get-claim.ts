import { Injectable } from '@nestjs/common';
import { ClaimsRepository } from '../claims.repository';
import { ClaimNotFoundError } from '../claims.errors';
import { ClaimView } from '../dto/claim-coupon.dto';

/**
 * GET /claims/:claimId: a claim of either path, with its status and, once rejected, the reason.
 * Given an owner, another user's claim is not found (its existence is not told).
 */
@Injectable()
export class GetClaim {
  constructor(private readonly claims: ClaimsRepository) {}

  async execute(claimId: string, owner?: number): Promise<ClaimView> {
    const claim = await this.claims.findClaim(claimId);
    if (!claim || (owner !== undefined && claim.userId !== owner)) throw new ClaimNotFoundError(claimId);
    return claim;
  }
}
