import { CompressionTypes, IHeaders, Kafka, Partitioners, Producer } from 'kafkajs';
import { encodeEvent, Envelope, Header } from '@app/events';
import { topicName } from './topics';
import { kafkaMetrics } from './kafka.metrics';

export interface OutgoingMessage {
  /** Contract topic (without prefix). */
  topic: string;
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: IHeaders;
}

/**
 * The process's one Kafka producer: idempotent, acks=all, one request in flight so that retries
 * cannot reorder a key's messages. send() resolves only once the broker has acknowledged.
 */
export class EventProducer {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly prefix: string,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic: topicName(this.prefix, topic),
        messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
      })),
    });
    for (const [topic, list] of byTopic) kafkaMetrics.published.inc({ topic }, list.length);
  }

  /** Validates, serializes and publishes events directly (acknowledged, not through the outbox). */
  publish(envelopes: Envelope[]): Promise<void> {
    return this.send(
      envelopes.map((e) => ({
        topic: e.type,
        ...encodeEvent(e),
        headers: { [Header.EventType]: e.type, [Header.CorrelationId]: e.correlationId },
      })),
    );
  }
}
