import { Admin, AssignerProtocol, GroupDescription } from 'kafkajs';
import { z } from 'zod';

export const PartitionView = z.object({
  topic: z.string(),
  partition: z.number().int(),
  committedOffset: z.string().nullable().describe('null when the group never committed on this partition'),
  endOffset: z.string(),
  lag: z.number().int().describe('messages not yet committed by the group (from the log start when nothing is committed)'),
  owner: z.string().nullable().describe('client id of the member that owns the partition now, if any'),
});
export type PartitionView = z.infer<typeof PartitionView>;

export const MemberView = z.object({
  memberId: z.string(),
  clientId: z.string(),
  host: z.string(),
  assignment: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int()) })),
});
export type MemberView = z.infer<typeof MemberView>;

export const GroupView = z.object({
  groupId: z.string(),
  state: z.string(),
  protocol: z.string(),
  members: z.array(MemberView),
  partitions: z.array(PartitionView),
  totalLag: z.number().int(),
});
export type GroupView = z.infer<typeof GroupView>;

/**
 * Every consumer group of the cluster that has members on, or offsets in, a topic with our
 * prefix: state, members with their partition assignment, committed and end offsets, lag.
 * The ops view behind GET /ops/consumer-groups and `npm run ops:groups`.
 */
export async function describeConsumerGroups(admin: Admin, topicPrefix: string): Promise<GroupView[]> {
  const ours = (topic: string) => topic.startsWith(topicPrefix);
  const { groups } = await admin.listGroups();
  const consumerGroups = groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId);
  if (consumerGroups.length === 0) return [];
  const { groups: described } = await admin.describeGroups(consumerGroups);
  const endOffsets = new Map<string, Map<number, { high: string; low: string }>>();
  const views: GroupView[] = [];
  for (const group of described) {
    const members = group.members.map(memberView).map((m) => ({ ...m, assignment: m.assignment.filter((a) => ours(a.topic)) }));
    const committed = (await admin.fetchOffsets({ groupId: group.groupId })).filter((t) => ours(t.topic));
    const topics = new Set([...committed.map((t) => t.topic), ...members.flatMap((m) => m.assignment.map((a) => a.topic))]);
    if (topics.size === 0) continue;
    const partitions: PartitionView[] = [];
    for (const topic of [...topics].sort()) {
      const ends = await topicEnds(admin, topic, endOffsets);
      const offsets = new Map(committed.find((t) => t.topic === topic)?.partitions.map((p) => [p.partition, p.offset]) ?? []);
      for (const [partition, end] of [...ends].sort((a, b) => a[0] - b[0])) {
        const raw = offsets.get(partition);
        const committedOffset = raw === undefined || raw === '-1' ? null : raw;
        const from = committedOffset ?? end.low;
        partitions.push({
          topic,
          partition,
          committedOffset,
          endOffset: end.high,
          lag: Math.max(0, Number(BigInt(end.high) - BigInt(from))),
          owner: members.find((m) => m.assignment.some((a) => a.topic === topic && a.partitions.includes(partition)))?.clientId ?? null,
        });
      }
    }
    views.push({
      groupId: group.groupId,
      state: group.state,
      protocol: group.protocol,
      members,
      partitions,
      totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
    });
  }
  return views.sort((a, b) => a.groupId.localeCompare(b.groupId));
}

function memberView(member: GroupDescription['members'][number]): MemberView {
  // An empty assignment (group rebalancing, member just joined) decodes to null.
  const decoded = member.memberAssignment?.length ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment) : null;
  return {
    memberId: member.memberId,
    clientId: member.clientId,
    host: member.clientHost,
    assignment: Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) })),
  };
}

async function topicEnds(admin: Admin, topic: string, cache: Map<string, Map<number, { high: string; low: string }>>) {
  let ends = cache.get(topic);
  if (!ends) {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, { high: o.high, low: o.low }]));
    cache.set(topic, ends);
  }
  return ends;
}

/** A plain-text rendering for terminals (the CLI and logs). */
export function formatConsumerGroups(groups: GroupView[]): string {
  if (groups.length === 0) return 'no consumer groups on these topics';
  const lines: string[] = [];
  const width = Math.max(5, ...groups.flatMap((g) => g.partitions.map((p) => p.topic.length)));
  for (const g of groups) {
    lines.push(`group ${g.groupId}  state=${g.state}  members=${g.members.length}  lag=${g.totalLag}`);
    for (const m of g.members) {
      const parts = m.assignment.map((a) => `${a.topic}[${a.partitions.join(',')}]`).join(' ') || '(no partitions)';
      lines.push(`  member ${m.clientId} ${m.host}  ${parts}`);
    }
    lines.push(`  ${'topic'.padEnd(width)} ${'part'.padStart(4)} ${'committed'.padStart(10)} ${'end'.padStart(10)} ${'lag'.padStart(8)}  owner`);
    for (const p of g.partitions) {
      lines.push(
        `  ${p.topic.padEnd(width)} ${String(p.partition).padStart(4)} ${(p.committedOffset ?? '-').padStart(10)} ${p.endOffset.padStart(10)} ${String(p.lag).padStart(8)}  ${p.owner ?? '-'}`,
      );
    }
  }
  return lines.join('\n');
}
