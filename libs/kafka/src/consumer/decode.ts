import { KafkaMessage } from 'kafkajs';
import { decodeEvent, Envelope, Topic } from '@app/events';

/** A fetched message, decoded and validated against its topic's contract, or why it could not be. */
export type Decoded = { message: KafkaMessage; event: Envelope } | { message: KafkaMessage; error: unknown };

export function decodeBatch(topic: Topic, messages: KafkaMessage[]): Decoded[] {
  return messages.map((message) => {
    try {
      return { message, event: decodeEvent(topic, message.value) };
    } catch (error) {
      return { message, error };
    }
  });
}
