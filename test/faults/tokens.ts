import { randomBytes } from 'node:crypto';
// Nest-free (jsonwebtoken only), as the fault kit's other imports of the libs.
import { TokenService } from '@app/platform/auth/token-service';

/** Longer than any scenario (15 min at most): no token expires during one. */
const TTL_SECONDS = 2 * 3600;

/**
 * The bearer tokens of one fault stack, signed here with the key its apps are started with
 * (`secret`, AUTH_JWT_SECRET, new for each stack): an operator's for the set-up and the checks
 * (stock, vendors, coupons, audits, everyone's orders, payments, shipments, notifications), a
 * user's per coupon user for its claims, and buyers' for the orders.
 */
export class FaultTokens {
  readonly secret = randomBytes(32).toString('base64url');
  private readonly service = new TokenService(this.secret, TTL_SECONDS);
  readonly operator = this.sign('faults-operator', 'operator');

  /** A coupon user's token: its subject is the user's id, as the claim endpoints require. */
  user(id: number): string {
    return this.sign(String(id), 'user');
  }

  /** A buyer's token for POST /orders (the order's user is the token's subject). */
  buyer(n: number): string {
    return this.sign(`faults-buyer-${n}`, 'user');
  }

  private sign(subject: string, role: 'user' | 'operator'): string {
    return this.service.sign({ subject, roles: [role] }).token;
  }
}
