// Nest-free (jsonwebtoken only): the bench process never loads the framework.
import { TokenService } from '@app/platform/auth/token-service';

/** Longer than the bench's hard limit (20 min, main.ts): no token expires during a run. */
const TTL_SECONDS = 2 * 3600;

/**
 * The bench's bearer tokens, signed here with the key it gives every app it starts
 * (AUTH_JWT_SECRET, new each run: BenchConfig.authSecret), so no sign-in is ever part of what is
 * measured: an operator's for the set-up calls (vendors, coupons, stock), a buyer's for POST /orders
 * and the no-op endpoint, and one per seeded user for its claims (signed when the users are seeded).
 */
export class BenchTokens {
  private readonly service: TokenService;
  readonly operator: string;
  readonly buyer: string;

  constructor(secret: string) {
    this.service = new TokenService(secret, TTL_SECONDS);
    this.operator = this.service.sign({ subject: 'bench-operator', roles: ['operator'] }).token;
    this.buyer = this.service.sign({ subject: 'bench-buyer', roles: ['user'] }).token;
  }

  /** A coupon user's token: its subject is the user's id, as the claim endpoints require. */
  user(id: number): string {
    return this.service.sign({ subject: String(id), roles: ['user'] }).token;
  }
}
