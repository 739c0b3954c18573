import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { TokenExpiredError, TokenInvalidError } from './auth.errors';
import { Principal, Role } from './principal';

const ISSUER = 'commerce-events';
const AUDIENCE = 'commerce-events';

const Claims = z.object({ sub: z.string().min(1).max(64), roles: z.array(Role).min(1) });

/**
 * Signs and verifies the bearer tokens: JWT, HS256 with AUTH_JWT_SECRET, issuer and audience
 * `commerce-events`, `sub` the subject, `roles` its roles. Nothing else is trusted: a token of another
 * algorithm, issuer or audience, or without valid claims, is refused. Free of Nest (jsonwebtoken
 * only), so the bench, the fault kit and the tests sign tokens without loading the framework.
 */
export class TokenService {
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
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new TokenExpiredError();
      throw new TokenInvalidError(error instanceof jwt.JsonWebTokenError ? error.message : 'not a token');
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new TokenInvalidError('missing or malformed sub/roles');
    return { subject: claims.data.sub, roles: claims.data.roles };
  }
}
