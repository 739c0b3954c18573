export * from './topics';
export * from './consumer.decorators';
export * from './kafka-event.server';
export * from './event-producer';
export * from './dead-letter';
export * from './outbox-relay';
export * from './kafka.module';
export * from './kafka.metrics';
