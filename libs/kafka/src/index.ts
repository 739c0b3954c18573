// First: every kafkajs client of the process gets the request-queue fix before it connects.
import './request-queue-fix';

export * from './topics';
export * from './consumer.decorators';
export * from './kafka-event.server';
export * from './event-producer';
export * from './dead-letter';
export * from './outbox-relay';
export * from './kafka.module';
export * from './kafka.metrics';
export * from './ops/consumer-groups';
export * from './consumer/failure';
