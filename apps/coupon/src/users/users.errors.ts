import { DomainError } from '@app/platform';

export class UserNotFoundError extends DomainError {
  readonly code = 'USER_NOT_FOUND';
  readonly kind = 'NOT_FOUND';
  constructor(userId: number) {
    super(`user ${userId} not found`);
  }
}
