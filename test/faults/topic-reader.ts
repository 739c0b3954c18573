import { AssignerProtocol, KafkaMessage } from 'kafkajs';
import { AppName } from '@app/config';
import { DEAD_LETTER_TOPIC, Header } from '@app/events';
import { readTopic as readWholeTopic } from '../../libs/kafka/src/ops/read-topic';
import { FaultStack } from './stack';

/** Every message of a topic of the stack (libs/kafka/src/ops/read-topic.ts). */
export function readTopic(stack: FaultStack, contractTopic: string, timeoutMs = 60_000): Promise<KafkaMessage[]> {
  return readWholeTopic(stack.kafka, stack.topic(contractTopic), { timeoutMs, groupPrefix: 'faults-reader' });
}

/** The payloads of a topic's events (JSON envelopes), skipping what is not JSON. */
export async function readPayloads<T>(stack: FaultStack, contractTopic: string): Promise<T[]> {
  return (await readTopic(stack, contractTopic)).flatMap((m) => {
    try {
      return [(JSON.parse(m.value?.toString() ?? '') as { payload: T }).payload];
    } catch {
      return [];
    }
  });
}

/** Dead letters of the stack, counted by group, original topic and error code (empty when there are none). */
export async function deadLetters(stack: FaultStack): Promise<{ total: number; by: Record<string, number> }> {
  const messages = await readTopic(stack, DEAD_LETTER_TOPIC);
  const header = (m: KafkaMessage, h: string) => m.headers?.[h]?.toString() ?? '?';
  const by: Record<string, number> = {};
  for (const m of messages) {
    const group = header(m, Header.DlqConsumerGroup).replace(stack.env.KAFKA_GROUP_SUFFIX, '');
    const topic = header(m, Header.DlqOriginalTopic).replace(stack.env.KAFKA_TOPIC_PREFIX, '');
    const key = `${group} ${topic} ${header(m, Header.DlqErrorCode)}`;
    by[key] = (by[key] ?? 0) + 1;
  }
  return { total: messages.length, by };
}

export interface GroupOffsets {
  /** Committed offsets, summed over the group's partitions. */
  committed: number;
  /** End offset − committed offset, summed. */
  lag: number;
}

/** Consumer groups of the stack that have a consuming instance running (API-only instances consume nothing). */
function consumingGroups(stack: FaultStack): string[] {
  const apps = stack.instances
    .filter((i) => i.running && i.options.env.KAFKA_CONSUMERS !== 'off')
    .map((i) => i.options.app);
  return [...new Set(apps)].map((a) => stack.group(a));
}

/**
 * Per consumer group of the stack (default: those with a consuming instance running), its
 * committed offsets and how far it is behind the end of the partitions assigned to it; undefined
 * while any of them is not Stable (rebalancing, or not joined yet).
 */
export async function groupOffsets(
  stack: FaultStack,
  groupIds = consumingGroups(stack),
): Promise<Record<string, GroupOffsets> | undefined> {
  return stack.withAdmin(async (admin) => {
    const { groups } = await admin.describeGroups(groupIds);
    const out: Record<string, GroupOffsets> = {};
    const ends = new Map<string, Map<number, { high: bigint; low: bigint }>>();
    for (const g of groups) {
      if (g.state !== 'Stable') return undefined;
      const topics = [
        ...new Set(
          g.members.flatMap((m) =>
            Object.keys(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}),
          ),
        ),
      ];
      for (const t of topics) {
        if (!ends.has(t))
          ends.set(
            t,
            new Map(
              (await admin.fetchTopicOffsets(t)).map((p) => [
                p.partition,
                { high: BigInt(p.high), low: BigInt(p.low) },
              ]),
            ),
          );
      }
      let committed = 0n;
      let lag = 0n;
      for (const t of topics.length ? await admin.fetchOffsets({ groupId: g.groupId, topics }) : []) {
        for (const p of t.partitions) {
          const end = ends.get(t.topic)?.get(p.partition);
          if (!end) continue;
          const at = BigInt(p.offset);
          if (at >= 0n) committed += at;
          lag += end.high - (at >= 0n ? at : end.low);
        }
      }
      out[g.groupId.replace(stack.env.KAFKA_GROUP_SUFFIX, '')] = { committed: Number(committed), lag: Number(lag) };
    }
    return out;
  });
}

/** How far each consumer group of the stack is behind; undefined while one is not Stable. */
export async function consumerLag(stack: FaultStack): Promise<Record<string, number> | undefined> {
  const offsets = await groupOffsets(stack);
  return offsets && Object.fromEntries(Object.entries(offsets).map(([g, o]) => [g, o.lag]));
}

/**
 * After a fault: the ms until every consumer group of the stack is Stable again and has either
 * committed past where it stood when first seen again or has nothing left to consume; undefined
 * after timeoutMs.
 */
export async function consumersResumed(stack: FaultStack, timeoutMs: number): Promise<number | undefined> {
  const began = Date.now();
  let base: Record<string, GroupOffsets> | undefined;
  while (Date.now() - began < timeoutMs) {
    const now = await groupOffsets(stack).catch(() => undefined);
    if (now) {
      base ??= now;
      if (Object.entries(now).every(([g, o]) => o.lag === 0 || o.committed > (base![g]?.committed ?? -1)))
        return Date.now() - began;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

/** Messages on a topic of the stack (end − start offsets, all partitions). */
export async function topicSize(stack: FaultStack, contractTopic: string): Promise<number> {
  const offsets = await stack.withAdmin((admin) => admin.fetchTopicOffsets(stack.topic(contractTopic)));
  return offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
}

/** Per consumer group of the stack: how many partitions each member is assigned (members in join order). */
export async function groupMembers(stack: FaultStack): Promise<Record<string, number[]>> {
  const apps = [...new Set(stack.instances.map((i) => i.options.app))];
  return stack.withAdmin(async (admin) => {
    const { groups } = await admin.describeGroups(apps.map((a) => stack.group(a)));
    return Object.fromEntries(
      groups.map((g) => [
        g.groupId.replace(stack.env.KAFKA_GROUP_SUFFIX, ''),
        g.members.map((m) =>
          Object.values(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}).reduce(
            (n, ps) => n + ps.length,
            0,
          ),
        ),
      ]),
    );
  });
}

/** Offsets an app's consumer group has committed on a topic, summed over partitions. */
export async function committed(stack: FaultStack, app: AppName, contractTopic: string): Promise<number> {
  const [t] = await stack.withAdmin((admin) =>
    admin.fetchOffsets({ groupId: stack.group(app), topics: [stack.topic(contractTopic)] }),
  );
  return (t?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
}
