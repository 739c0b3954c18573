import { Controller, Module } from '@nestjs/common';
import { createEnvelope, encodeEvent, Envelope, Header, newId, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { ensureTopics, OnEventBatch, topicName } from '@app/kafka';
import { createTestStack, eventually, TestStack, watchDeadLetters } from '../../../test/harness';

const POISON = 4242;
const N = 600;
// Every handler call is one transaction (runOnceBatch), rolled back when the poison is in it.
const calls: number[] = [];

@Controller()
class BatchProbe {
  constructor(private readonly uow: UnitOfWork) {}

  @OnEventBatch(Topic.StockReleased, { maxBatch: 1000 })
  async apply(events: Envelope<Topic.StockReleased>[]): Promise<void> {
    calls.push(events.length);
    await this.uow.runOnceBatch('probe', events, async (_tx, fresh) => {
      if (fresh.some((e) => e.payload.count === POISON)) throw Object.assign(new Error('breaks a rule for good'), { permanent: true });
    });
  }
}

@Module({ controllers: [BatchProbe] })
class ProbeModule {}

describe('one valid poison event in a batch of 600', () => {
  let stack: TestStack;
  let dlq: Awaited<ReturnType<typeof watchDeadLetters>> | undefined;

  beforeAll(async () => {
    stack = await createTestStack('poisonbatch');
  });
  afterAll(async () => {
    await dlq?.stop();
    await stack?.close();
  });

  it('dead-letters only that event, applies the others, in O(log n) transactions', async () => {
    // all on one partition before the consumer starts, so they arrive as one fetched batch
    const events = Array.from({ length: N }, (_, i) =>
      createEnvelope(Topic.StockReleased, { orderId: newId(), sku: 'probe', count: i === 377 ? POISON : i + 1 }, { producer: 'test' }),
    );
    await ensureTopics(stack.admin, stack.topicPrefix, { claimPartitions: 6 });
    const producer = stack.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topicName(stack.topicPrefix, Topic.StockReleased),
      messages: events.map((e) => ({ key: 'one-partition', value: encodeEvent(e).value })),
    });
    await producer.disconnect();

    await stack.start('stock', ProbeModule);
    await eventually('599 events applied', async () =>
      (await stack.prisma.processedEvent.count({ where: { consumer: 'probe' } })) === N - 1 ? true : undefined,
    );

    dlq = await watchDeadLetters(stack);
    const deadLetters = dlq.letters;
    await eventually('the poison event dead-lettered', async () => (deadLetters.length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000)); // nothing else arrives
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0].value).toContain(events[377].eventId);
    expect(deadLetters[0].headers[Header.DlqAttempts]).toBe('1');
    expect(await stack.prisma.processedEvent.count({ where: { consumer: 'probe', eventId: events[377].eventId } })).toBe(0);

    // the merged try and the batch alone, then bisection: per level one failing and one passing half
    // (before bisection: 6 calls of the batch, then 600 single transactions)
    const bound = 2 + 2 * Math.ceil(Math.log2(N));
    console.log(`poison in ${N}: ${calls.length} handler calls (transactions), bound ${bound}; sizes ${calls.join(',')}`);
    expect(calls.length).toBeLessThanOrEqual(bound);
  });
});
