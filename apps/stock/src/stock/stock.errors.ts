import { DomainError } from '@app/platform';

export class ProductNotFoundError extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  readonly kind = 'NOT_FOUND';

  constructor(sku: string) {
    super(`product ${sku} not found`);
  }
}
