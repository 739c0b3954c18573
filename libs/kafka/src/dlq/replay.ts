import { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DEAD_LETTER_TOPIC, Header } from '@app/events';
import { topicName } from '../topics';

export interface ReplayOptions {
  kafka: Kafka;
  topicPrefix: string;
  /** The replayer's own consumer group (default dlq-replayer): what it committed is not read again. */
  groupId?: string;
  /** Only messages dead-lettered by this consumer group (exact id, or id without the group suffix). */
  group?: string;
  groupSuffix?: string;
  /** Only messages whose original topic is this (contract name or physical name). */
  topic?: string;
  /** Print what would be replayed; publish and commit nothing. */
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface ReplayResult {
  scanned: number;
  replayed: number;
  skipped: number;
}

/**
 * Re-publishes dead-lettered messages to their original topic, with their original key, value and
 * headers (dlq-* headers dropped). Reads the dead-letter topic up to its end as of the start, then
 * commits, so each dead-lettered message is replayed once; messages that do not match the filters
 * are passed over (and committed) too. Consumers are idempotent, so a group that had already
 * applied a replayed event ignores it.
 */
export async function replayDeadLetters(o: ReplayOptions): Promise<ReplayResult> {
  const dlq = topicName(o.topicPrefix, DEAD_LETTER_TOPIC);
  const groupId = o.groupId ?? 'dlq-replayer';
  const log = o.log ?? (() => undefined);
  const admin = o.kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    if (!(await admin.listTopics()).includes(dlq)) {
      log(`no topic ${dlq}: nothing was ever dead-lettered under this prefix`);
      return { scanned: 0, replayed: 0, skipped: 0 };
    }
    const [committed] = await admin.fetchOffsets({ groupId, topics: [dlq] });
    for (const p of await admin.fetchTopicOffsets(dlq)) {
      const from = BigInt(committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? '-1');
      if (BigInt(p.high) > (from < 0n ? BigInt(p.low) : from)) ends.set(p.partition, BigInt(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  const result: ReplayResult = { scanned: 0, replayed: 0, skipped: 0 };
  if (ends.size === 0) return result;

  const consumer = o.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  const producer = o.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    await consumer.subscribe({ topics: [dlq], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const done = (partition: number, offset: string) => {
        if (BigInt(offset) + 1n >= (ends.get(partition) ?? 0n)) ends.delete(partition);
        if (ends.size === 0) resolve();
      };
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (!ends.has(partition) || BigInt(message.offset) >= ends.get(partition)!) return;
            result.scanned++;
            const target = header(message, Header.DlqOriginalTopic);
            if (target && matches(o, message, target)) {
              log(`${o.dryRun ? 'would replay' : 'replaying'} ${dlq}@${message.offset} -> ${target} (${header(message, Header.DlqErrorCode)})`);
              if (!o.dryRun) {
                await producer.send({ topic: target, acks: -1, messages: [{ key: message.key, value: message.value, headers: originalHeaders(message.headers) }] });
              }
              result.replayed++;
            } else result.skipped++;
            if (!o.dryRun) await consumer.commitOffsets([{ topic: dlq, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
            done(partition, message.offset);
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return result;
}

function matches(o: ReplayOptions, message: KafkaMessage, target: string): boolean {
  const group = header(message, Header.DlqConsumerGroup);
  if (o.group && group !== o.group && group !== `${o.group}${o.groupSuffix ?? ''}`) return false;
  if (o.topic && target !== o.topic && target !== topicName(o.topicPrefix, o.topic)) return false;
  return true;
}

function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return Array.isArray(value) ? value[0]?.toString() : value?.toString();
}

function originalHeaders(headers: IHeaders = {}): IHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith('dlq-')));
}
