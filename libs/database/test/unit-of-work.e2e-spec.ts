// The UnitOfWork against a real database: a batch and its idempotency records commit together,
// events seen before are left out (the one-INSERT fast path and its fallback), a failure rolls
// everything back, and committed outbox rows are handed to the relay. The inbox: an event
// delivered again (later, twice in a batch, to two concurrent transactions) is applied once per
// consumer group, and only that application's outbox rows exist.
import { Logger } from '@nestjs/common';
import { createEnvelope, Envelope, newId, Topic } from '@app/events';
import { CommittedEvent, Emit, OutboxSignal, PrismaService, UnitOfWork } from '@app/database';
import { createTestStack, TestStack } from '../../../test/harness';
import { untilLockWait } from '../../../test/lock-wait';

let stack: TestStack;
let signal: OutboxSignal;
let uow: UnitOfWork;

const released = (): Envelope<Topic.StockReleased> =>
  createEnvelope(Topic.StockReleased, { orderId: newId(), sku: 'apple', count: 1 }, { producer: 'test', correlationId: newId() });

/** Applies a batch, emitting one OrderCreated per fresh event; returns the ids the work saw. */
async function apply(events: Envelope[], failOn?: string): Promise<string[]> {
  const seen: string[] = [];
  await uow.runOnceBatch('uow-test', events, async (_tx, fresh, emitFor) => {
    for (const e of fresh) {
      if (e.eventId === failOn) throw new Error('boom');
      seen.push(e.eventId);
      emitFor(e)(Topic.OrderCreated, { orderId: newId(), kind: 'apple', count: 1, userId: null });
    }
  });
  return seen;
}

beforeAll(async () => {
  Logger.overrideLogger(false);
  stack = await createTestStack('uow');
  signal = new OutboxSignal();
  uow = new UnitOfWork(stack.prisma, signal, 'uow-test');
});
afterAll(() => stack?.close());

describe('UnitOfWork.runOnceBatch', () => {
  it('applies each event of a batch once, with its outbox rows and idempotency records', async () => {
    const [a, b, c] = [released(), released(), released()];
    expect(await apply([a, b, a])).toEqual([a.eventId, b.eventId]);
    // b was applied before: the first INSERT fails on it and only c is applied
    expect(await apply([b, c])).toEqual([c.eventId]);
    expect(await apply([a, b, c])).toEqual([]);
    expect(await stack.prisma.processedEvent.count({ where: { consumer: 'uow-test' } })).toBe(3);
    const outbox = await stack.prisma.outboxEvent.findMany({ where: { service: 'uow-test' } });
    expect(outbox).toHaveLength(3);
    const causes = outbox.map((r) => (JSON.parse(r.value) as Envelope).causationId).sort();
    expect(causes).toEqual([a.eventId, b.eventId, c.eventId].sort());
    const handed: CommittedEvent[] = signal.take();
    expect(handed.map((r) => r.eventId).sort()).toEqual(outbox.map((r) => r.eventId).sort());
  });

  it('rolls the whole batch back when the work fails for one event', async () => {
    const [a, b] = [released(), released()];
    const before = await stack.prisma.outboxEvent.count();
    await expect(apply([a, b], b.eventId)).rejects.toThrow('boom');
    expect(await stack.prisma.processedEvent.count({ where: { eventId: { in: [a.eventId, b.eventId] } } })).toBe(0);
    expect(await stack.prisma.outboxEvent.count()).toBe(before);
    expect(signal.take()).toEqual([]);
    // nothing was recorded, so the same events apply later
    expect(await apply([a, b])).toEqual([a.eventId, b.eventId]);
  });
});

describe('the inbox (UnitOfWork.runOnceBatch): one application per consumer group', () => {
  /** A unit of work of its own service name, so its outbox rows and relay hand-offs are its own. */
  const unitOfWork = (service: string, prisma: PrismaService = stack.prisma) => {
    const own = new OutboxSignal();
    return { uow: new UnitOfWork(prisma, own, service), signal: own };
  };

  /** Work that records what it was handed and emits one event per fresh event. */
  const recording = (applied: string[], hold?: () => Promise<void>) => async (_tx: unknown, fresh: Envelope[], emitFor: (e: Envelope) => Emit) => {
    for (const e of fresh) {
      applied.push(e.eventId);
      emitFor(e)(Topic.OrderCreated, { orderId: newId(), kind: 'apple', count: 1, userId: null });
    }
    await hold?.();
  };

  /** The outbox rows caused by these events: which service staged each, and its cause. */
  async function outboxCausedBy(events: Envelope[]): Promise<{ service: string; eventId: string; cause: string }[]> {
    const causes = new Set(events.map((e) => e.eventId));
    const rows = await stack.prisma.outboxEvent.findMany({ orderBy: { id: 'asc' } });
    return rows
      .map((r) => ({ service: r.service, eventId: r.eventId, cause: (JSON.parse(r.value) as Envelope).causationId ?? '' }))
      .filter((r) => causes.has(r.cause));
  }

  const inboxOf = async (events: Envelope[]) =>
    (await stack.prisma.processedEvent.findMany({ where: { eventId: { in: events.map((e) => e.eventId) } }, orderBy: [{ consumer: 'asc' }, { eventId: 'asc' }] })).map(
      (r) => [r.consumer, r.eventId],
    );

  // a second client: two app instances of one consumer group, as during a rebalance
  let instance2: PrismaService;
  beforeAll(() => (instance2 = new PrismaService(stack.databaseUrl, 2)));
  afterAll(() => instance2?.$disconnect());

  it('applies an event delivered to two concurrent transactions of one consumer once, with only that application\'s outbox rows', async () => {
    const e = released();
    const [one, two] = [unitOfWork('inbox-one'), unitOfWork('inbox-two', instance2)];
    const applied: string[] = [];
    let second!: Promise<number>;
    // the first transaction holds its idempotency record until the second one waits behind it
    const first = await one.uow.runOnceBatch('inbox-concurrent', [e], recording(applied, async () => {
      second = two.uow.runOnceBatch('inbox-concurrent', [e], recording(applied));
      await untilLockWait(stack.prisma);
    }));
    expect([first, await second]).toEqual([1, 0]);
    expect(applied).toEqual([e.eventId]);
    expect(await inboxOf([e])).toEqual([['inbox-concurrent', e.eventId]]);
    const outbox = await outboxCausedBy([e]);
    expect(outbox).toEqual([{ service: 'inbox-one', eventId: expect.any(String), cause: e.eventId }]);
    expect(one.signal.take().map((r) => r.eventId)).toEqual(outbox.map((r) => r.eventId));
    expect(two.signal.take()).toEqual([]);
    // delivered once more, later: nothing
    expect(await two.uow.runOnceBatch('inbox-concurrent', [e], recording(applied))).toBe(0);
    expect(await outboxCausedBy([e])).toEqual(outbox);
  });

  it('splits overlapping batches of two concurrent transactions: each event is applied by exactly one of them', async () => {
    const [x, y, z] = [released(), released(), released()];
    const [one, two] = [unitOfWork('overlap-one'), unitOfWork('overlap-two', instance2)];
    const [byOne, byTwo]: string[][] = [[], []];
    let second!: Promise<number>;
    const first = await one.uow.runOnceBatch('inbox-overlap', [x, y], recording(byOne, async () => {
      second = two.uow.runOnceBatch('inbox-overlap', [y, z, y], recording(byTwo));
      await untilLockWait(stack.prisma);
    }));
    expect([first, await second]).toEqual([2, 1]);
    expect([byOne, byTwo]).toEqual([[x.eventId, y.eventId], [z.eventId]]);
    expect(await inboxOf([x, y, z])).toEqual([x, y, z].map((e) => ['inbox-overlap', e.eventId]).sort());
    const outbox = await outboxCausedBy([x, y, z]);
    expect(outbox.map((r) => [r.service, r.cause]).sort()).toEqual([
      ['overlap-one', x.eventId],
      ['overlap-one', y.eventId],
      ['overlap-two', z.eventId],
    ].sort());
  });

  it('applies an event once in each consumer group, independently of the others', async () => {
    const e = released();
    const [stock, audit] = [unitOfWork('group-stock'), unitOfWork('group-audit')];
    const [byStock, byAudit]: string[][] = [[], []];
    expect(await stock.uow.runOnceBatch('group-stock', [e], recording(byStock))).toBe(1);
    // the other group is not told by the first one's record: it applies the event too, once
    expect(await audit.uow.runOnceBatch('group-audit', [e, e], recording(byAudit))).toBe(1);
    expect(await stock.uow.runOnceBatch('group-stock', [e], recording(byStock))).toBe(0);
    expect(await audit.uow.runOnceBatch('group-audit', [e], recording(byAudit))).toBe(0);
    expect([byStock, byAudit]).toEqual([[e.eventId], [e.eventId]]);
    expect(await inboxOf([e])).toEqual([['group-audit', e.eventId], ['group-stock', e.eventId]]);
    const outbox = await outboxCausedBy([e]);
    expect(outbox.map((r) => r.service).sort()).toEqual(['group-audit', 'group-stock']);
    expect(stock.signal.take().map((r) => r.eventId)).toEqual(outbox.filter((r) => r.service === 'group-stock').map((r) => r.eventId));
    expect(audit.signal.take().map((r) => r.eventId)).toEqual(outbox.filter((r) => r.service === 'group-audit').map((r) => r.eventId));
  });
});
