import { Controller, Module } from '@nestjs/common';
import { createEnvelope, encodeEvent, Envelope, Header, newId, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { OnEvent, topicName } from '@app/kafka';
import { createTestStack, eventually, SeenDeadLetter, TestStack, watchDeadLetters } from '../../../test/harness';

// A probe consumer: applies StockReleased events once (runOnce) and fails on purpose for some counts.
const calls = new Map<string, number>();
const FAIL_TWICE = 13; // transient: fails twice, then succeeds
const ALWAYS_FAIL = 666; // still failing after the retries: dead-lettered

@Controller()
class ProbeConsumer {
  constructor(private readonly uow: UnitOfWork) {}

  @OnEvent(Topic.StockReleased)
  async handle(event: Envelope<Topic.StockReleased>): Promise<void> {
    const n = (calls.get(event.eventId) ?? 0) + 1;
    calls.set(event.eventId, n);
    if (event.payload.count === ALWAYS_FAIL) throw new Error('broken on purpose');
    if (event.payload.count === FAIL_TWICE && n <= 2) throw new Error(`transient failure ${n}`);
    await this.uow.runOnce('probe', event, async () => undefined);
  }
}

@Module({ controllers: [ProbeConsumer] })
class ProbeModule {}

const released = (count: number) =>
  createEnvelope(Topic.StockReleased, { orderId: newId(), sku: 'probe', count }, { producer: 'test' });

describe('Kafka transport against a real broker and MySQL', () => {
  let stack: TestStack;
  let uow: UnitOfWork;
  let dlq: Awaited<ReturnType<typeof watchDeadLetters>> | undefined;
  let deadLetters: SeenDeadLetter[] = [];

  const produce = async (value: string | null, key = 'k') => {
    const producer = stack.kafka.producer();
    await producer.connect();
    await producer.send({ topic: topicName(stack.topicPrefix, Topic.StockReleased), messages: [{ key, value }] });
    await producer.disconnect();
  };
  const applied = (eventId: string) =>
    stack.prisma.processedEvent.count({ where: { consumer: 'probe', eventId } }).then((n) => (n > 0 ? n : undefined));

  beforeAll(async () => {
    stack = await createTestStack('transport', { KAFKA_MAX_RETRIES: '3' });
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
    const event = await uow.run(async (_tx, emit) => {
      emit(Topic.StockReleased, { orderId: newId(), sku: 'probe', count: 1 });
    });
    expect(event).toBeUndefined();
    const row = await eventually('the event to be applied', async () => {
      const rows = await stack.prisma.processedEvent.findMany({ where: { consumer: 'probe' } });
      return rows.length > 0 ? rows : undefined;
    });
    expect(row).toHaveLength(1);
    await eventually('the outbox to be empty', async () => ((await stack.prisma.outboxEvent.count()) === 0 ? true : undefined));
  });

  it('applies a duplicated event once', async () => {
    const event = released(2);
    const { value } = encodeEvent(event);
    await produce(value);
    await produce(value);
    await eventually('the event to be applied', () => applied(event.eventId));
    const marker = released(3);
    await produce(encodeEvent(marker).value);
    await eventually('a later event to be applied', () => applied(marker.eventId));
    expect(calls.get(event.eventId)).toBe(2);
    expect(await stack.prisma.processedEvent.count({ where: { eventId: event.eventId } })).toBe(1);
  });

  it('retries a transient failure with backoff and applies the event once', async () => {
    const event = released(FAIL_TWICE);
    await produce(encodeEvent(event).value);
    await eventually('the event to be applied', () => applied(event.eventId));
    expect(calls.get(event.eventId)).toBe(3);
    expect(deadLetters.find((d) => d.value.includes(event.eventId))).toBeUndefined();
  });

  it('dead-letters a poison message and an always-failing one, and the partition moves on', async () => {
    await produce('{not json', 'same-key');
    const failing = released(ALWAYS_FAIL);
    await produce(encodeEvent(failing).value, 'same-key');
    const later = released(4);
    await produce(encodeEvent(later).value, 'same-key');
    await eventually('a later event to be applied', () => applied(later.eventId));

    const poison = await eventually('the poison message in the dead-letter topic', async () =>
      deadLetters.find((d) => d.value === '{not json'),
    );
    expect(poison.headers).toMatchObject({
      [Header.DlqOriginalTopic]: topicName(stack.topicPrefix, Topic.StockReleased),
      [Header.DlqErrorCode]: 'EVENT.INVALID',
      [Header.DlqAttempts]: '0',
    });
    expect(poison.headers[Header.DlqErrorMessage]).toMatch(/not JSON/);
    const dead = await eventually('the failing event in the dead-letter topic', async () =>
      deadLetters.find((d) => d.value.includes(failing.eventId)),
    );
    expect(dead.headers[Header.DlqErrorMessage]).toBe('broken on purpose');
    expect(dead.headers[Header.DlqAttempts]).toBe('4');
    expect(calls.get(failing.eventId)).toBe(4);
    expect(await applied(failing.eventId)).toBeUndefined();
  });
});
