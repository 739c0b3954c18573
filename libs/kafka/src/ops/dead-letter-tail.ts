import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { DEAD_LETTER_TOPIC, Header } from '@app/events';
import { topicName } from '../topics';

/** One dead letter as the ops view shows it: where it came from and why it was parked (dlq-* headers; null when absent). */
export const DeadLetterView = z.object({
  partition: z.number().int(),
  offset: z.string(),
  at: z.iso.datetime().describe("When it was dead-lettered (the record's timestamp)."),
  key: z.string().nullable(),
  originalTopic: z.string().nullable(),
  originalPartition: z.string().nullable(),
  originalOffset: z.string().nullable(),
  consumerGroup: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  attempts: z.string().nullable(),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

export const deadLetterView = (partition: number, m: KafkaMessage): DeadLetterView => {
  const h = (name: string) => {
    const v = m.headers?.[name];
    return v === undefined ? null : (Array.isArray(v) ? v[0] : v)?.toString() ?? null;
  };
  return {
    partition,
    offset: m.offset,
    at: new Date(Number(m.timestamp)).toISOString(),
    key: m.key?.toString() ?? null,
    originalTopic: h(Header.DlqOriginalTopic),
    originalPartition: h(Header.DlqOriginalPartition),
    originalOffset: h(Header.DlqOriginalOffset),
    consumerGroup: h(Header.DlqConsumerGroup),
    errorCode: h(Header.DlqErrorCode),
    errorMessage: h(Header.DlqErrorMessage),
    attempts: h(Header.DlqAttempts),
  };
};

/**
 * Follows the dead-letter topic and keeps its latest `keep` letters in memory, for the ops view.
 * Reads from the start of the topic at every start (its group never commits, so it holds no
 * position and no state of its own), then follows the end. Started on first use.
 */
export class DeadLetterTail {
  private consumer?: Consumer;
  private starting?: Promise<void>;
  private readonly latest: DeadLetterView[] = [];

  constructor(
    private readonly kafka: Pick<Kafka, 'consumer'>,
    private readonly topicPrefix: string,
    private readonly groupId: string,
    private readonly keep = 50,
  ) {}

  get topic(): string {
    return topicName(this.topicPrefix, DEAD_LETTER_TOPIC);
  }

  /** The latest letters seen, newest first (empty until the tail has read the topic). */
  letters(limit: number): DeadLetterView[] {
    this.start().catch(() => undefined); // a failure to start is tried again on the next call
    return [...this.latest].sort((a, b) => b.at.localeCompare(a.at) || Number(b.offset) - Number(a.offset)).slice(0, limit);
  }

  start(): Promise<void> {
    this.starting ??= this.run().catch((error: unknown) => {
      // retried on the next use (the broker may be down, the topic not created yet)
      this.starting = undefined;
      const consumer = this.consumer;
      this.consumer = undefined;
      void consumer?.disconnect().catch(() => undefined);
      throw error;
    });
    return this.starting;
  }

  private async run(): Promise<void> {
    this.latest.length = 0;
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        this.latest.push(deadLetterView(partition, message));
        if (this.latest.length > this.keep) this.latest.splice(0, this.latest.length - this.keep);
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.starting = undefined;
    await consumer?.disconnect();
  }
}
