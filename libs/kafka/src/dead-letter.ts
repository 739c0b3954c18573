import { KafkaMessage } from 'kafkajs';
import { DEAD_LETTER_TOPIC, Header } from '@app/events';
import { EventProducer } from './event-producer';

export interface DeadLetterInput {
  originalTopic: string;
  partition: number;
  message: KafkaMessage;
  groupId: string;
  error: unknown;
  attempts: number;
}

/**
 * Parks a message that could not be parsed, validated or applied. The original key, value and
 * headers are kept byte for byte; dlq-* headers say where it came from and why. `npm run dlq:replay`
 * puts such messages back on their original topic after a fix.
 */
export class DeadLetter {
  constructor(private readonly producer: EventProducer) {}

  send(input: DeadLetterInput): Promise<void> {
    const error = input.error as { code?: string; message?: string } | undefined;
    return this.producer.send([
      {
        topic: DEAD_LETTER_TOPIC,
        key: input.message.key,
        value: input.message.value,
        headers: {
          ...input.message.headers,
          [Header.DlqOriginalTopic]: input.originalTopic,
          [Header.DlqOriginalPartition]: String(input.partition),
          [Header.DlqOriginalOffset]: input.message.offset,
          [Header.DlqConsumerGroup]: input.groupId,
          [Header.DlqErrorCode]: error?.code ?? (error instanceof Error ? error.name : 'UNKNOWN'),
          [Header.DlqErrorMessage]: (error?.message ?? String(input.error)).slice(0, 1000),
          [Header.DlqAttempts]: String(input.attempts),
          [Header.DlqFailedAt]: new Date().toISOString(),
        },
      },
    ]);
  }
}
