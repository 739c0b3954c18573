import { DomainError } from '@app/platform';

export class OrderNotFoundError extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';
  readonly kind = 'NOT_FOUND';

  constructor(id: string) {
    super(`order ${id} not found`);
  }
}
