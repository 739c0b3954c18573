import { DomainError } from '../domain-error';

/** No bearer token on a route that needs one: 401 AUTH_REQUIRED. */
export class AuthRequiredError extends DomainError {
  readonly code = 'AUTH_REQUIRED';
  readonly kind = 'UNAUTHENTICATED';
  constructor() {
    super('this route needs a bearer token (Authorization: Bearer <token>)');
  }
}

/** A token that is malformed, signed with another key or for another audience: 401 TOKEN_INVALID. */
export class TokenInvalidError extends DomainError {
  readonly code = 'TOKEN_INVALID';
  readonly kind = 'UNAUTHENTICATED';
  constructor(reason: string) {
    super(`the bearer token is not valid: ${reason}`);
  }
}

/** A token past its `exp`: 401 TOKEN_EXPIRED. */
export class TokenExpiredError extends DomainError {
  readonly code = 'TOKEN_EXPIRED';
  readonly kind = 'UNAUTHENTICATED';
  constructor() {
    super('the bearer token has expired');
  }
}

/** A valid token whose roles or subject do not allow this: 403 FORBIDDEN. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  readonly kind = 'FORBIDDEN';
}
