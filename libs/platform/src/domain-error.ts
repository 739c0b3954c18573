/** How an API reports a domain error; the HTTP filter maps each kind to one status. */
export type ErrorKind = 'INVALID' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'UNAVAILABLE';

/**
 * Base of every expected error, with a stable code clients can switch on (e.g. COUPON_SOLD_OUT).
 * `permanent` tells the Kafka transport that retrying cannot help.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  readonly permanent = true;
  override name = 'DomainError';

  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A request body, query or path that does not fit its schema. */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'INVALID';
}

export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}
