import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { TokenExpiredError, TokenInvalidError } from './auth.errors';
import { Principal, Role } from './principal';

const ISSUER = 'commerce-events';
const AUDIENCE = 'commerce-events';

const Claims = z.object({ sub: z.string().min(1).max(64), roles: z.array(Role).min(1), exp: z.number() });

/** At most this many verified tokens are remembered; past it the memory starts again. */
const REMEMBERED = 10_000;

/**
 * Signs and verifies the bearer tokens: JWT, HS256 with AUTH_JWT_SECRET, issuer and audience
 * `commerce-events`, `sub` the subject, `roles` its roles. Nothing else is trusted: a token of another
 * algorithm, issuer or audience, or without valid claims, is refused. Free of Nest (jsonwebtoken
 * only), so the bench, the fault kit and the tests sign tokens without loading the framework.
 *
 * A client sends the same token on every request, so a verified token is remembered (up to
 * REMEMBERED of them) until its `exp`: a repeat costs a map lookup instead of an HMAC and a JSON
 * parse (about 20 µs), which matters most when a flood of one user's requests is being refused.
 */
export class TokenService {
  private readonly verified = new Map<string, { principal: Principal; exp: number }>();

  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  /** A token for the principal, valid `ttlSeconds` (default AUTH_TOKEN_TTL_S). */
  sign(principal: Principal, ttlSeconds = this.ttlSeconds): { token: string; expiresAt: string } {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ roles: principal.roles }, this.secret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: principal.subject,
      expiresIn: ttlSeconds,
    });
    return { token, expiresAt: new Date((now + ttlSeconds) * 1000).toISOString() };
  }

  /** The principal of a token, or TokenExpiredError / TokenInvalidError. */
  verify(token: string): Principal {
    const known = this.verified.get(token);
    // jsonwebtoken's own rule: expired once the clock's whole seconds reach exp
    if (known && Math.floor(Date.now() / 1000) < known.exp) return known.principal;
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new TokenExpiredError();
      throw new TokenInvalidError(error instanceof jwt.JsonWebTokenError ? error.message : 'not a token');
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new TokenInvalidError('missing or malformed sub/roles/exp');
    const principal: Principal = Object.freeze({ subject: claims.data.sub, roles: Object.freeze(claims.data.roles) as Role[] });
    if (this.verified.size >= REMEMBERED) this.verified.clear();
    this.verified.set(token, { principal, exp: claims.data.exp });
    return principal;
  }
}
