// The UnitOfWork against a real database: a batch and its idempotency records commit together,
// events seen before are left out (the one-INSERT fast path and its fallback), a failure rolls
// everything back, and committed outbox rows are handed to the relay.
import { Logger } from '@nestjs/common';
import { createEnvelope, Envelope, newId, Topic } from '@app/events';
import { CommittedEvent, OutboxSignal, UnitOfWork } from '@app/database';
import { createTestStack, TestStack } from '../../../test/harness';

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
