import { DomainError } from '@app/platform';

/** Stable codes of the ops API (clients switch on `code`). */
export enum OpsErrorCode {
  KafkaUnavailable = 'KAFKA.UNAVAILABLE',
}

/** The broker could not be reached, or did not answer in time: try again later (503). */
export class BrokerUnavailableError extends DomainError {
  readonly code = OpsErrorCode.KafkaUnavailable;
  readonly kind = 'UNAVAILABLE';
  constructor(cause: unknown) {
    super(`Kafka is unavailable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}
