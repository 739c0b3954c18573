import { KafkaMessage } from 'kafkajs';
import { encodeEvent, Header, newId, Topic } from '@app/events';
import { ensureTopics, topicName } from '@app/kafka';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { QueuedClaim } from '../src/claims/claim-decision';
import { claimRequested } from '../src/claims/claim-requested';
import { ClaimsRepository } from '../src/claims/claims.repository';
import { CouponModule } from '../src/coupon.module';
import { claim, countBy, expectInvariants, waitTerminal } from './coupon-test-kit';

const PARTITIONS = 3;

/**
 * A coupon process killed between the PENDING insert and the Kafka send leaves rows nobody sends.
 * The test leaves exactly that state — it writes the rows through the repository, as ClaimQueue
 * does before its send, and never sends them — then starts two coupon instances (consumers and
 * reapers) and checks that every such claim reaches the topic and a terminal state.
 */
describe('no orphaned claim (real MySQL + Kafka, two instances reaping at once)', () => {
  let stack: TestStack;
  let repository: ClaimsRepository;
  let urls: string[];
  const claimTopic = () => topicName(stack.topicPrefix, Topic.CouponClaimRequested);

  async function newCoupon(users: number, total = 100) {
    const vendor = await stack.prisma.vendor.create({ data: { name: 'v' } });
    const coupon = await stack.prisma.coupon.create({ data: { type: 'WELCOME', value: 700, total, vendorId: vendor.id } });
    const first = (await stack.prisma.user.aggregate({ _max: { id: true } }))._max.id ?? 0;
    await stack.prisma.user.createMany({ data: Array.from({ length: users }, (_, i) => ({ name: `u${i}` })) });
    const userIds = (await stack.prisma.user.findMany({ where: { id: { gt: first } }, select: { id: true }, orderBy: { id: 'asc' } })).map((u) => u.id);
    return { couponId: coupon.id, userIds };
  }

  /** What a killed process leaves: PENDING rows written as ClaimQueue writes them, never sent. */
  async function orphans(couponId: number, userIds: number[]): Promise<QueuedClaim[]> {
    const claims = userIds.map((userId) => ({ claimId: newId(), couponId, userId }));
    for (let i = 0; i < claims.length; i += 500) await repository.insertPending(claims.slice(i, i + 500));
    return claims;
  }

  /** Every message of the claim topic, read back from the beginning up to the current end. */
  async function readClaimTopic(): Promise<KafkaMessage[]> {
    const ends = await stack.admin.fetchTopicOffsets(claimTopic());
    const messages: KafkaMessage[] = [];
    const reached = new Map<number, bigint>();
    const reader = stack.kafka.consumer({ groupId: `claim-reader-${newId()}`, maxWaitTimeInMs: 100 });
    await reader.connect();
    try {
      await reader.subscribe({ topic: claimTopic(), fromBeginning: true });
      await reader.run({
        eachMessage: async ({ partition, message }) => {
          messages.push(message);
          reached.set(partition, BigInt(message.offset) + 1n);
        },
      });
      await eventually('the claim topic read to its end', async () =>
        ends.every((p) => (reached.get(p.partition) ?? 0n) >= BigInt(p.high)) ? true : undefined,
      );
    } finally {
      await reader.disconnect();
    }
    return messages;
  }

  beforeAll(async () => {
    stack = await createTestStack('claim-reaper', {
      COUPON_CLAIM_PARTITIONS: String(PARTITIONS),
      COUPON_REAPER_AGE_MS: '1000',
      COUPON_REAPER_INTERVAL_MS: '200',
    });
    repository = new ClaimsRepository(stack.prisma);
  });
  afterAll(() => stack?.close());

  it('claims left PENDING by a crash before the send are re-sent, once, and decided; invariants hold', async () => {
    const { couponId, userIds } = await newCoupon(1720);
    // 1,500 claims of three group commits whose process died before sending (three reaper rounds)
    const unsent = await orphans(couponId, userIds.slice(0, 1500));
    // 20 claims whose send was acknowledged but whose process died before marking them published
    await ensureTopics(stack.admin, stack.topicPrefix, { claimPartitions: PARTITIONS });
    const unmarked = await orphans(couponId, userIds.slice(1500, 1520));
    const producer = stack.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: claimTopic(),
      acks: -1,
      messages: unmarked.map(claimRequested).map((e) => ({ ...encodeEvent(e), headers: { [Header.CorrelationId]: e.correlationId } })),
    });
    await producer.disconnect();
    await new Promise((r) => setTimeout(r, 1100)); // older than COUPON_REAPER_AGE_MS

    const started = Date.now();
    urls = (await Promise.all([0, 1].map(() => stack.start('coupon', CouponModule)))).map((a) => a.url);
    // live traffic on the same coupon while the reapers work
    const liveStarted = Date.now();
    const live = await Promise.all(
      userIds.slice(1520).map((userId, i) => claim(urls[i % 2], couponId, stack.token(userId), 'queued')),
    );
    const liveMs = Date.now() - liveStarted;
    // 202, or — on a machine so busy that a send outlasts the producer's deadline — 503, withdrawn
    const accepted = live.filter((r) => r.status === 202).map((r) => r.body.claimId as string);
    const refused = live.filter((r) => r.status !== 202);
    expect(refused.map((r) => `${r.status} ${r.body.code}`)).toEqual(refused.map(() => '503 CLAIM_QUEUE_UNAVAILABLE'));
    expect(accepted.length).toBeGreaterThan(0);
    if (refused.length > 0) console.log(`refused: ${JSON.stringify(countBy(refused, (r) => String(r.body.message)))}`);

    await waitTerminal(stack.prisma, couponId, 20_000);
    console.log(`1,520 orphaned claims + ${accepted.length} live ones terminal ${Date.now() - started} ms after two instances started`);
    const coupon = await expectInvariants(stack.prisma, couponId);
    expect(coupon.issued).toBe(100);
    const claims = await stack.prisma.claim.findMany({ where: { couponId } });
    expect(countBy(claims, (c) => `${c.status} ${c.reason ?? ''}`.trim())).toEqual({ ISSUED: 100, 'REJECTED SOLD_OUT': 1520 + accepted.length - 100 });
    // a claim answered 503 is never issued: its row is gone
    const refusedIds = refused.map((r) => (r.body.details as { claimId: string }).claimId);
    expect(await stack.prisma.claim.count({ where: { id: { in: refusedIds } } })).toBe(0);
    // the reapers marked what they sent
    expect(await stack.prisma.claim.count({ where: { id: { in: unsent.map((c) => c.claimId) }, publishedAt: null } })).toBe(0);

    const copies = new Map<string, KafkaMessage[]>();
    for (const m of await readClaimTopic()) {
      const claimId = (JSON.parse(m.value!.toString()) as { payload: QueuedClaim }).payload.claimId;
      copies.set(claimId, [...(copies.get(claimId) ?? []), m]);
    }
    // every orphan reached the topic exactly once — two reapers at once do not double it — with its own correlation id
    for (const c of unsent) {
      expect(copies.get(c.claimId)?.map((m) => m.headers?.[Header.CorrelationId]?.toString())).toEqual([c.claimId]);
    }
    // acknowledged-but-unmarked ones may be there twice; applied once all the same (invariants above)
    expect(unmarked.every((c) => (copies.get(c.claimId)?.length ?? 0) >= 1)).toBe(true);
    expect(accepted.every((id) => (copies.get(id)?.length ?? 0) >= 1)).toBe(true);
    const twice = [...unmarked.map((c) => c.claimId), ...accepted].filter((id) => copies.get(id)!.length > 1).length;
    // (a live claim whose insert-to-acknowledgement outlasts the test's 1 s age is sent twice too)
    console.log(
      `claim topic: ${[...copies.values()].flat().length} messages for ${copies.size} claims ` +
        `(${twice} acknowledged claims sent twice; ${accepted.length} of 200 live claims accepted, ${refused.length} refused, in ${liveMs} ms)`,
    );
  });

  it('the withdrawal takes only unpublished rows nobody holds; what it leaves, the reaper sends', async () => {
    const { couponId, userIds } = await newCoupon(3, 10);
    const [free, held, published] = await orphans(couponId, userIds);
    await repository.markPublished([published.claimId]);
    let locked!: () => void;
    let release!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const released = new Promise<void>((r) => (release = r));
    // another transaction holds one row, as a consumer applying it or a reaper sending it would
    const holder = stack.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM coupon_claim WHERE id = ${held.claimId} FOR UPDATE`;
        locked();
        await released;
      },
      { timeout: 10_000 },
    );
    await isLocked;
    expect([...(await repository.withdrawUnpublished([free, held, published].map((c) => c.claimId)))]).toEqual([free.claimId]);
    release();
    await holder;
    const left = await stack.prisma.claim.findMany({ where: { couponId }, orderBy: { id: 'asc' } });
    expect(left.map((c) => c.id).sort()).toEqual([held.claimId, published.claimId].sort());
    expect(left.find((c) => c.id === published.claimId)?.publishedAt).toBeInstanceOf(Date);

    // the held row is PENDING and was never acknowledged: a reaper sends it, marks it, and it is decided
    const decided = await eventually('the held claim decided', async () => {
      const c = await stack.prisma.claim.findUnique({ where: { id: held.claimId } });
      return c?.status === 'ISSUED' ? c : undefined;
    });
    expect(decided.publishedAt).toBeInstanceOf(Date);
    await stack.prisma.claim.delete({ where: { id: published.claimId } }); // marked by the test, never sent
  });
});
