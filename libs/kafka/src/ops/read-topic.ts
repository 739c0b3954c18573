import { randomBytes } from 'node:crypto';
import { Kafka, KafkaMessage } from 'kafkajs';

/**
 * Every message of a topic, read back from the broker with a kafkajs consumer of a fresh group
 * (from the beginning up to the end offsets at the time of the call). For checking what a run
 * wrote: the fault kit's invariants, the bench's per-hop trace.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  { timeoutMs = 60_000, groupPrefix = 'topic-reader' } = {},
): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const left = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
  if (left.size === 0) return [];
  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({
    groupId: `${groupPrefix}-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `reading ${topic}: partitions ${[...left.keys()].join(',')} not read to their end within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      consumer
        .run({
          eachBatch: ({ batch }) => {
            messages.push(...batch.messages);
            const end = left.get(batch.partition);
            const last = batch.messages.at(-1);
            if (end !== undefined && last && BigInt(last.offset) + 1n >= end) left.delete(batch.partition);
            if (left.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
