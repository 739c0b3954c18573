import { EventPattern } from '@nestjs/microservices';
import { Envelope, EnvelopeOf, Topic } from '@app/events';

export interface BatchExtras {
  batch: true;
  /** Most messages per call (a fetched batch is split); default 500. */
  maxBatch?: number;
}

/**
 * Marks a consumer method for one topic. The compiler checks that the method takes that topic's
 * envelope; the payload has been validated against its contract before the method runs.
 */
export function OnEvent<T extends Topic>(topic: T) {
  // Generic in the method type: TypedPropertyDescriptor is invariant, so a fixed
  // `Promise<unknown>` would refuse the usual `Promise<void>` handler.
  return <M extends (event: Envelope<T>) => Promise<unknown>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    EventPattern(topic)(target, key, descriptor);
  };
}

/**
 * Like OnEvent, but the method receives every valid message of a fetched batch at once (e.g. to
 * apply many coupon claims under one row lock), merged with the other batches in flight for the
 * same method — of other partitions and, when the method is given several topics, of those topics
 * too (one call, one transaction). If that call fails, each batch is retried alone, then its
 * messages one by one, so a poison message is isolated.
 */
export function OnEventBatch<T extends Topic>(topics: T | T[], options: { maxBatch?: number } = {}) {
  return <M extends (events: EnvelopeOf<T>[]) => Promise<unknown>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    EventPattern(topics, { batch: true, ...options } satisfies BatchExtras)(target, key, descriptor);
  };
}
