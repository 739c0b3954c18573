import { Injectable } from '@nestjs/common';
import { ClaimsRepository } from '../claims.repository';
import { ClaimNotFoundError } from '../claims.errors';
import { ClaimView } from '../dto/claim-coupon.dto';

/** GET /claims/:claimId: a claim of either path, with its status and, once rejected, the reason. */
@Injectable()
export class GetClaim {
  constructor(private readonly claims: ClaimsRepository) {}

  async execute(claimId: string): Promise<ClaimView> {
    const claim = await this.claims.findClaim(claimId);
    if (!claim) throw new ClaimNotFoundError(claimId);
    return claim;
  }
}
