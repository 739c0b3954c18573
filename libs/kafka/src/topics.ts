import { Admin } from 'kafkajs';
import { ALL_TOPICS, DEAD_LETTER_TOPIC, Topic } from '@app/events';

/** Physical topic name: KAFKA_TOPIC_PREFIX + the contract's topic. */
export const topicName = (prefix: string, topic: string): string => `${prefix}${topic}`;

/** The contract topic of a physical name, or undefined for a foreign topic. */
export const logicalTopic = (prefix: string, physical: string): string | undefined =>
  physical.startsWith(prefix) ? physical.slice(prefix.length) : undefined;

export interface TopicLayout {
  /** Partitions of coupon.claim-requested (COUPON_CLAIM_PARTITIONS). */
  claimPartitions: number;
}

/** How many partitions each topic gets. Saga topics are keyed by order, so 6 lets 6 instances share. */
export function partitionsOf(topic: string, layout: TopicLayout): number {
  if (topic === Topic.CouponClaimRequested) return layout.claimPartitions;
  if (topic === DEAD_LETTER_TOPIC) return 1;
  return 6;
}

/**
 * Replication of a new topic on a cluster of `brokers`: every partition on min(3, brokers) brokers;
 * from three brokers on, a write (acks=all) needs two in-sync copies, so one broker can die without
 * losing an acknowledged message and without stopping writes.
 */
export function replicationOf(brokers: number): { replicationFactor: number; minInsyncReplicas: number } {
  return { replicationFactor: Math.max(1, Math.min(3, brokers)), minInsyncReplicas: brokers >= 3 ? 2 : 1 };
}

/**
 * Creates those of `topics` that do not exist yet, replicated as replicationOf says for this
 * cluster. Another client creating them at the same moment is fine.
 */
export async function createMissingTopics(
  admin: Admin,
  topics: { topic: string; numPartitions: number }[],
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return;
  const { replicationFactor, minInsyncReplicas } = replicationOf((await admin.describeCluster()).brokers.length);
  const configEntries = [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }];
  try {
    await admin.createTopics({
      topics: missing.map((m) => ({ ...m, replicationFactor, configEntries })),
      waitForLeaders: true,
    });
  } catch (error) {
    if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
  }
}

/**
 * Creates every topic of the system that is missing (automatic creation is off on the broker)
 * and grows partition counts that are below the configured ones. Safe to run from every app at once.
 */
export async function ensureTopics(admin: Admin, prefix: string, layout: TopicLayout): Promise<void> {
  const wanted = [...ALL_TOPICS, DEAD_LETTER_TOPIC].map((t) => ({
    topic: topicName(prefix, t),
    numPartitions: partitionsOf(t, layout),
  }));
  await createMissingTopics(admin, wanted);
  const metadata = await untilPropagated(() => admin.fetchTopicMetadata({ topics: wanted.map((w) => w.topic) }));
  const grow = metadata.topics
    .map((t) => ({
      topic: t.name,
      have: t.partitions.length,
      want: wanted.find((w) => w.topic === t.name)!.numPartitions,
    }))
    .filter((t) => t.have < t.want);
  if (grow.length > 0) {
    await admin.createPartitions({ topicPartitions: grow.map((g) => ({ topic: g.topic, count: g.want })) });
  }
}

// Right after creation (by this app or another one starting at the same moment) the broker may
// answer metadata requests with "does not host this topic-partition" for a short while.
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

async function untilPropagated<T>(request: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= attempts || !NOT_YET.has((error as { type?: string }).type ?? '')) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
