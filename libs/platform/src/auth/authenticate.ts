import { DomainError } from '../domain-error';
import { Principal } from './principal';
import { TokenService } from './token-service';

/** What a request's bearer token says: its principal, the reason it was refused, or neither (no token). */
export interface Authentication {
  principal?: Principal;
  failure?: DomainError;
}

const AUTHENTICATION = Symbol('authentication');
type Authenticated = { headers: Record<string, string | string[] | undefined>; [AUTHENTICATION]?: Authentication };

/**
 * Verifies a request's bearer token once and remembers the answer on the request, so a Fastify hook
 * that runs before Nest (the claim routes' rate limit) and AuthGuard share one verification.
 * Nothing is refused here: AuthGuard decides, per route, what a missing or bad token means.
 */
export function authenticate(request: object, tokens: TokenService): Authentication {
  const r = request as Authenticated;
  if (r[AUTHENTICATION]) return r[AUTHENTICATION];
  const token = bearer(r.headers.authorization);
  let result: Authentication = {};
  if (token) {
    try {
      result = { principal: tokens.verify(token) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result = { failure: error };
    }
  }
  return (r[AUTHENTICATION] = result);
}

/** The token of an `Authorization: Bearer <token>` header; undefined when there is none. */
export function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match?.[1];
}
