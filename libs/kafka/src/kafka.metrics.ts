import { Counter, Histogram } from 'prom-client';

/** Kafka-side metrics, registered once per process in prom-client's default registry. */
export const kafkaMetrics = {
  messages: new Counter({
    name: 'kafka_consumed_messages_total',
    help: 'Consumed messages by outcome (applied, retried, dead_lettered)',
    labelNames: ['topic', 'group', 'outcome'],
  }),
  handlerSeconds: new Histogram({
    name: 'kafka_handler_seconds',
    help: 'Time spent in a consumer handler call (one message or one batch)',
    labelNames: ['topic', 'group'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  published: new Counter({
    name: 'kafka_published_messages_total',
    help: 'Messages acknowledged by the broker, by topic',
    labelNames: ['topic'],
  }),
};
