import { DomainError } from '@app/platform';

export class VendorNotFoundError extends DomainError {
  readonly code = 'VENDOR_NOT_FOUND';
  readonly kind = 'NOT_FOUND';
  constructor(vendorId: number) {
    super(`vendor ${vendorId} not found`);
  }
}
