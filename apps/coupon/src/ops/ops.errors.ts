import { KafkaJSError } from 'kafkajs';
import { DomainError } from '@app/platform';
import { AdminTimeoutError } from './admin-connection';

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

/**
 * kafkajs' own errors (connection refused, retries exhausted, request timed out…) and the admin
 * deadline mean "the broker is not answering" (503); anything else is a bug and stays a 500.
 */
export function brokerUnavailable(error: unknown): never {
  if (error instanceof KafkaJSError || error instanceof AdminTimeoutError) throw new BrokerUnavailableError(error);
  throw error;
}
