import { Controller, Module } from '@nestjs/common';
import { createEnvelope, encodeEvent, Envelope, Header, newId, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { OnEvent, topicName } from '@app/kafka';
import { createTestStack, eventually, SeenDeadLetter, TestStack, watchDeadLetters } from '../../../test/harness';

const MAX_RETRIES = 3;
const RETRY_BACKOFF_MS = 100;
const FAIL_TWICE = 13; // transient: fails twice, then succeeds
const ALWAYS_FAIL = 666; // still failing after the retries: dead-lettered

/** What the probe saw of one event id: when each handler call started, how often runOnce applied it. */
interface Seen {
  event: Envelope<Topic.StockReleased>;
  callTimes: number[];
  applied: number;
}
const seen = new Map<string, Seen>();

// A probe consumer: applies StockReleased events once (runOnce) and fails on purpose for some counts.
@Controller()
class ProbeConsumer {
  constructor(private readonly uow: UnitOfWork) {}

  @OnEvent(Topic.StockReleased)
  async handle(event: Envelope<Topic.StockReleased>): Promise<void> {
    const s = seen.get(event.eventId) ?? { event, callTimes: [], applied: 0 };
    seen.set(event.eventId, s);
    s.callTimes.push(Date.now());
    const n = s.callTimes.length;
    if (event.payload.count === ALWAYS_FAIL) throw new Error('broken on purpose');
    if (event.payload.count === FAIL_TWICE && n <= 2) throw new Error(`transient failure ${n}`);
    if (await this.uow.runOnce('probe', event, async () => undefined)) s.applied++;
  }
}

@Module({ controllers: [ProbeConsumer] })
class ProbeModule {}

const released = (count: number, orderId = newId()) =>
  createEnvelope(Topic.StockReleased, { orderId, sku: 'probe', count }, { producer: 'test' });
const callsOf = (eventId: string) => seen.get(eventId)?.callTimes.length ?? 0;

describe('Kafka transport against a real broker and MySQL', () => {
  let stack: TestStack;
  let uow: UnitOfWork;
  let dlq: Awaited<ReturnType<typeof watchDeadLetters>> | undefined;
  let deadLetters: SeenDeadLetter[] = [];

  /** Sends one raw message to the probe's topic; returns where it landed. */
  const produce = async (value: string | null, key = 'k') => {
    const producer = stack.kafka.producer();
    await producer.connect();
    const [meta] = await producer.send({ topic: topicName(stack.topicPrefix, Topic.StockReleased), messages: [{ key, value }] });
    await producer.disconnect();
    return meta;
  };
  const inboxRows = (eventId: string) => stack.prisma.processedEvent.count({ where: { consumer: 'probe', eventId } });
  const applied = (eventId: string) => inboxRows(eventId).then((n) => (n > 0 ? n : undefined));

  beforeAll(async () => {
    stack = await createTestStack('transport', { KAFKA_MAX_RETRIES: String(MAX_RETRIES), KAFKA_RETRY_BACKOFF_MS: String(RETRY_BACKOFF_MS) });
    const app = await stack.start('stock', ProbeModule);
    uow = app.app.get(UnitOfWork);
    dlq = await watchDeadLetters(stack);
    deadLetters = dlq.letters;
  });

  afterAll(async () => {
    await dlq?.stop();
    await stack?.close();
  });

  it('publishes through the outbox after commit and the consumer applies the event', async () => {
    const orderId = newId();
    await expect(
      uow.run(async (_tx, emit) => {
        emit(Topic.StockReleased, { orderId, sku: 'probe', count: 5 });
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    await uow.run(async (_tx, emit) => {
      emit(Topic.StockReleased, { orderId, sku: 'probe', count: 1 });
    });

    const ofOrder = () => [...seen.values()].filter((s) => s.event.payload.orderId === orderId);
    await eventually('the committed event to be applied', async () => (ofOrder().some((s) => s.applied > 0) ? true : undefined));
    // Both events have the same key (the order), so the same partition: had the rolled-back one
    // been published, it would have been consumed before the committed one.
    expect(ofOrder().map((s) => ({ producer: s.event.producer, count: s.event.payload.count, calls: s.callTimes.length, applied: s.applied }))).toEqual([
      { producer: 'stock', count: 1, calls: 1, applied: 1 },
    ]);
    const { eventId } = ofOrder()[0].event;
    expect(await inboxRows(eventId)).toBe(1);
    await eventually('the published row to leave the outbox', async () =>
      (await stack.prisma.outboxEvent.count({ where: { eventId } })) === 0 ? true : undefined,
    );
  });

  it('applies a duplicated event once', async () => {
    const event = released(2);
    const { value } = encodeEvent(event);
    await produce(value);
    await produce(value);
    await eventually('the event to be applied', () => applied(event.eventId));
    // a later message on the same partition (same key): once it is applied, both copies were consumed
    const marker = released(3);
    await produce(encodeEvent(marker).value);
    await eventually('a later event to be applied', () => applied(marker.eventId));

    expect(callsOf(event.eventId)).toBe(2);
    expect(seen.get(event.eventId)?.applied).toBe(1);
    expect(await inboxRows(event.eventId)).toBe(1);
  });

  it('retries a transient failure with backoff and applies the event once', async () => {
    const event = released(FAIL_TWICE);
    await produce(encodeEvent(event).value);
    await eventually('the event to be applied', () => applied(event.eventId));

    const { callTimes, applied: applications } = seen.get(event.eventId)!;
    expect(callTimes).toHaveLength(3);
    expect(applications).toBe(1);
    expect(await inboxRows(event.eventId)).toBe(1);
    // retry n waits at least 0.8 × base × 2^(n-1) (±20 % jitter); a few ms of slack for timer rounding
    const gaps = callTimes.slice(1).map((t, i) => t - callTimes[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(0.8 * RETRY_BACKOFF_MS - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(0.8 * RETRY_BACKOFF_MS * 2 - 5);
  });

  it('dead-letters a poison message and an always-failing one, and the partition moves on', async () => {
    const poisonAt = await produce('{not json', 'same-key');
    const failing = released(ALWAYS_FAIL);
    const failingValue = encodeEvent(failing).value;
    const failingAt = await produce(failingValue, 'same-key');
    const later = released(4);
    await produce(encodeEvent(later).value, 'same-key');
    await eventually('a later event to be applied', () => applied(later.eventId));

    const origin = {
      [Header.DlqOriginalTopic]: topicName(stack.topicPrefix, Topic.StockReleased),
      [Header.DlqConsumerGroup]: `stock-service${stack.env.KAFKA_GROUP_SUFFIX}`,
    };
    const poison = await eventually('the poison message in the dead-letter topic', async () =>
      deadLetters.find((d) => d.value === '{not json'),
    );
    expect(poison.headers).toMatchObject({
      ...origin,
      [Header.DlqOriginalPartition]: String(poisonAt.partition),
      [Header.DlqOriginalOffset]: poisonAt.baseOffset,
      [Header.DlqErrorCode]: 'EVENT.INVALID',
      [Header.DlqAttempts]: '0',
    });
    expect(poison.headers[Header.DlqErrorMessage]).toMatch(/not JSON/);

    const dead = await eventually('the failing event in the dead-letter topic', async () =>
      deadLetters.find((d) => d.value === failingValue),
    );
    expect(dead.headers).toMatchObject({
      ...origin,
      [Header.DlqOriginalPartition]: String(failingAt.partition),
      [Header.DlqOriginalOffset]: failingAt.baseOffset,
      [Header.DlqErrorMessage]: 'broken on purpose',
      [Header.DlqAttempts]: String(MAX_RETRIES + 1),
    });
    expect(callsOf(failing.eventId)).toBe(MAX_RETRIES + 1);
    expect(seen.get(failing.eventId)?.applied).toBe(0);
    expect(await inboxRows(failing.eventId)).toBe(0);
    expect(seen.get(later.eventId)?.applied).toBe(1);
  });
});
