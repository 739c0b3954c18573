import { Admin, KafkaMessage } from 'kafkajs';
import { Header } from '@app/events';
import { topicName } from '../topics';

/** Which dead letters a replay run is about; an empty filter means all of them. */
export interface ReplayFilter {
  /** Dead-lettered by this consumer group (exact id, or id without the group suffix). */
  group?: string;
  /** Originally on this topic (contract name or physical name). */
  topic?: string;
}

/** How filters are read: the stack's topic prefix and group suffix. */
export interface FilterContext {
  topicPrefix: string;
  groupSuffix?: string;
}

/**
 * What one replay group has done: every dead letter below `offsets[partition]` that matches
 * `filter` was replayed. Each filter replays through its own consumer group, whose committed
 * offsets are these records (the filter itself is kept in the commit metadata).
 */
export interface ReplayRecord {
  groupId: string;
  filter: ReplayFilter;
  offsets: Map<number, bigint>;
}

const isEmpty = (f: ReplayFilter) => !f.group && !f.topic;

/** `dlq-replayer` for an unfiltered run, `dlq-replayer.group=x,topic=y` for a filtered one. */
export function replayGroupOf(baseGroupId: string, filter: ReplayFilter): string {
  if (isEmpty(filter)) return baseGroupId;
  const parts = [filter.group && `group=${filter.group}`, filter.topic && `topic=${filter.topic}`];
  return `${baseGroupId}.${parts.filter(Boolean).join(',')}`;
}

/** The commit metadata of a replay group: its filter, so other runs can tell what it covers. */
export const filterMetadata = (filter: ReplayFilter): string => JSON.stringify({ group: filter.group, topic: filter.topic });

/** Every replay group's record on the dead-letter topic (groups that committed nothing are left out). */
export async function readReplayRecords(admin: Admin, baseGroupId: string, dlq: string): Promise<ReplayRecord[]> {
  const { groups } = await admin.listGroups();
  const ids = groups.map((g) => g.groupId).filter((id) => id === baseGroupId || id.startsWith(`${baseGroupId}.`));
  const records: ReplayRecord[] = [];
  for (const groupId of ids) {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [dlq] });
    const partitions = (committed?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n);
    if (partitions.length === 0) continue;
    // The unfiltered group covers everything whatever its metadata (it may predate the metadata).
    const filter = groupId === baseGroupId ? {} : parseFilter(partitions[0].metadata);
    if (!filter) continue;
    records.push({ groupId, filter, offsets: new Map(partitions.map((p) => [p.partition, BigInt(p.offset)])) });
  }
  return records;
}

/** True when an earlier run (recorded in `records`) already replayed this dead letter. */
export function replayedBefore(records: ReplayRecord[], partition: number, message: KafkaMessage, context: FilterContext): boolean {
  const offset = BigInt(message.offset);
  return records.some((r) => offset < (r.offsets.get(partition) ?? 0n) && matchesFilter(r.filter, message, context));
}

export function matchesFilter(filter: ReplayFilter, message: KafkaMessage, context: FilterContext): boolean {
  const target = header(message, Header.DlqOriginalTopic);
  if (!target) return false;
  const group = header(message, Header.DlqConsumerGroup);
  if (filter.group && group !== filter.group && group !== `${filter.group}${context.groupSuffix ?? ''}`) return false;
  if (filter.topic && target !== filter.topic && target !== topicName(context.topicPrefix, filter.topic)) return false;
  return true;
}

export function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return Array.isArray(value) ? value[0]?.toString() : value?.toString();
}

function parseFilter(metadata: string | null): ReplayFilter | undefined {
  try {
    const parsed = JSON.parse(metadata ?? '') as { group?: unknown; topic?: unknown };
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const filter = { group: text(parsed.group), topic: text(parsed.topic) };
    // A filtered group whose metadata says "everything" would hide what it never matched.
    return isEmpty(filter) ? undefined : filter;
  } catch {
    return undefined;
  }
}
