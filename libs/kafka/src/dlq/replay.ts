import { randomBytes } from 'node:crypto';
import { Admin, IHeaders, Kafka, KafkaMessage, Message } from 'kafkajs';
import { z } from 'zod';
import { DEAD_LETTER_TOPIC, Header } from '@app/events';
import { topicName } from '../topics';
import {
  filterMetadata,
  header,
  matchesFilter,
  readReplayRecords,
  ReplayFilter,
  replayedBefore,
  ReplayRecord,
  replayGroupOf,
} from './replay-records';

export interface ReplayOptions extends ReplayFilter {
  kafka: Kafka;
  topicPrefix: string;
  /** Base of the replayer's consumer groups (default dlq-replayer); see replayDeadLetters. */
  groupId?: string;
  groupSuffix?: string;
  /** Print what would be replayed; publish and commit nothing. */
  dryRun?: boolean;
  log?: (line: string) => void;
}

export const ReplayResult = z.object({
  scanned: z.number().int().describe('Dead letters read by this run.'),
  replayed: z.number().int().describe('Put back on their topic (or, in a dry run, that would be).'),
  skipped: z.number().int().describe("Not matched by this run's filters: left for a later run."),
  replayedBefore: z.number().int().describe('Matched, but an earlier run had replayed them.'),
});
export type ReplayResult = z.infer<typeof ReplayResult>;

/**
 * Re-publishes dead-lettered messages to their original topic, with their original key, value and
 * headers (dlq-* headers dropped), each dead letter once, whatever filters the runs used.
 *
 * Bookkeeping: every filter replays through its own consumer group — `dlq-replayer` unfiltered,
 * `dlq-replayer.group=x,topic=y` filtered — and commits after each message it has handled, with
 * the filter in the commit metadata. A group's committed offset therefore means "every dead letter
 * below it that matches my filter has been replayed"; it never covers what the filter did not
 * match, so a filtered run hides nothing from a later run with another filter. A run reads the
 * dead-letter topic from its own group's offset up to the end as of its start, and passes over a
 * dead letter that another group's record covers (`replayedBefore`).
 *
 * At least once: a crash between a send and its commit replays that dead letter again, as do two
 * runs at the same moment; the consumers apply an event id once, so a duplicate costs nothing.
 * A dry run reads through a throwaway group (no offsets, deleted afterwards) and sends nothing.
 */
export async function replayDeadLetters(o: ReplayOptions): Promise<ReplayResult> {
  const dlq = topicName(o.topicPrefix, DEAD_LETTER_TOPIC);
  const baseGroupId = o.groupId ?? 'dlq-replayer';
  const filter: ReplayFilter = { group: o.group, topic: o.topic };
  const ownGroupId = replayGroupOf(baseGroupId, filter);
  const log = o.log ?? (() => undefined);
  const result: ReplayResult = { scanned: 0, replayed: 0, skipped: 0, replayedBefore: 0 };

  const admin = o.kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(dlq)) {
      log(`no topic ${dlq}: nothing was ever dead-lettered under this prefix`);
      return result;
    }
    const { ranges, records } = await planRun(admin, baseGroupId, ownGroupId, dlq);
    if (ranges.size === 0) return result;
    const groupId = o.dryRun ? `${ownGroupId}-dry-run-${randomBytes(4).toString('hex')}` : ownGroupId;
    await consume(o, groupId, dlq, ranges, async (partition, message) => {
      result.scanned++;
      const target = header(message, Header.DlqOriginalTopic);
      if (!target || !matchesFilter(filter, message, o)) result.skipped++;
      else if (replayedBefore(records, partition, message, o)) result.replayedBefore++;
      else {
        log(`${o.dryRun ? 'would replay' : 'replaying'} ${dlq}@${partition}:${message.offset} -> ${target} (${header(message, Header.DlqErrorCode)})`);
        result.replayed++;
        return { topic: target, messages: [replayed(message)] };
      }
      return undefined;
    });
    // the throwaway group holds no offsets, but would be listed until the broker expires it
    if (o.dryRun) await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  return result;
}

type Range = { from: bigint; to: bigint };
type Handle = (partition: number, message: KafkaMessage) => Promise<{ topic: string; messages: Message[] } | undefined>;

/**
 * Reads each partition's range of the dead-letter topic through consumer group `groupId`, sends
 * what `handle` returns and then commits the message (with the run's filter as metadata). A dry
 * run sends and commits nothing.
 */
async function consume(o: ReplayOptions, groupId: string, dlq: string, ranges: Map<number, Range>, handle: Handle): Promise<void> {
  const metadata = filterMetadata({ group: o.group, topic: o.topic });
  const consumer = o.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  // Not kafkajs' idempotent mode: after a broker restart it can acknowledge a batch it never wrote
  // (see EventProducer), and a dead letter committed as replayed but never sent would be lost.
  const producer = o.kafka.producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    await consumer.subscribe({ topics: [dlq], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const range = ranges.get(partition);
            const offset = BigInt(message.offset);
            // a dry run's throwaway group starts at the log start, before the run's own range
            if (!range || offset < range.from || offset >= range.to) return;
            const send = await handle(partition, message);
            if (!o.dryRun) {
              if (send) await producer.send({ ...send, acks: -1 });
              await consumer.commitOffsets([{ topic: dlq, partition, offset: (offset + 1n).toString(), metadata }]);
            }
            if (offset + 1n >= range.to) ranges.delete(partition);
            if (ranges.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

interface Plan {
  /** Per partition, the offsets this run reads: [from, to). */
  ranges: Map<number, Range>;
  records: ReplayRecord[];
}

async function planRun(admin: Admin, baseGroupId: string, ownGroupId: string, dlq: string): Promise<Plan> {
  const records = await readReplayRecords(admin, baseGroupId, dlq);
  const own = records.find((r) => r.groupId === ownGroupId);
  const ranges = new Map<number, Range>();
  for (const p of await admin.fetchTopicOffsets(dlq)) {
    // Below the own group's offset every matching dead letter was handled; below low, none is left.
    const low = BigInt(p.low);
    const committed = own?.offsets.get(p.partition) ?? low;
    const from = committed > low ? committed : low;
    if (BigInt(p.high) > from) ranges.set(p.partition, { from, to: BigInt(p.high) });
  }
  return { ranges, records };
}

function replayed(message: KafkaMessage): Message {
  return { key: message.key, value: message.value, headers: originalHeaders(message.headers) };
}

function originalHeaders(headers: IHeaders = {}): IHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith('dlq-')));
}
