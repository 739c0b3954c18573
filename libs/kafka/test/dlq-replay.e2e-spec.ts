// dlq:replay against a real broker: dead letters of two groups and two topics, replayed by runs
// with different filters (and a dry run), each dead letter back on its topic exactly once.
import { randomBytes } from 'node:crypto';
import { createEnvelope, DEAD_LETTER_TOPIC, encodeEvent, Header, newId, Topic } from '@app/events';
import { DeadLetter, EventProducer, topicName } from '@app/kafka';
import { replayDeadLetters, ReplayOptions } from '../src/dlq/replay';
import { createTestStack, eventually, TestStack } from '../../../test/harness';

let stack: TestStack;
let producer: EventProducer;
let suffix: string;
const STOCK = Topic.StockReleased;
const PAYMENT = Topic.PaymentCompleted;

/** Parks one event as the transport would: consumer group `${group}${suffix}`, topic `topic`. */
async function deadLetter(group: 'stock-service' | 'payment-service', topic: Topic): Promise<string> {
  const event = createEnvelope(STOCK, { orderId: newId(), sku: 'dlq', count: 1 }, { producer: 'test' });
  const { key, value } = encodeEvent(event);
  const message = { key: Buffer.from(key), value: Buffer.from(value), timestamp: '0', attributes: 0, offset: '0', headers: { [Header.EventType]: topic } };
  await new DeadLetter(producer).send({ originalTopic: topicName(stack.topicPrefix, topic), partition: 0, message, groupId: `${group}${suffix}`, error: new Error('broken'), attempts: 4 });
  return event.eventId;
}

const replay = (options: Partial<ReplayOptions> = {}) =>
  replayDeadLetters({ kafka: stack.kafka, topicPrefix: stack.topicPrefix, groupId: `dlq-replayer${suffix}`, groupSuffix: suffix, ...options });

const endOffset = async (topic: string) =>
  (await stack.admin.fetchTopicOffsets(topicName(stack.topicPrefix, topic))).reduce((sum, p) => sum + Number(p.high), 0);

/** The event ids on a topic, read back from its beginning, with their headers. */
async function readBack(topic: Topic): Promise<{ eventId: string; headers: string[] }[]> {
  const expected = await endOffset(topic);
  const seen: { eventId: string; headers: string[] }[] = [];
  const consumer = stack.kafka.consumer({ groupId: `${stack.topicPrefix}reader-${randomBytes(3).toString('hex')}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topicName(stack.topicPrefix, topic), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ eventId: (JSON.parse(String(message.value)) as { eventId: string }).eventId, headers: Object.keys(message.headers ?? {}) });
      },
    });
    await eventually(`${expected} messages on ${topic}`, async () => (seen.length >= expected ? true : undefined));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** Every group of this stack's replayer with its committed offsets on the dead-letter topic. */
async function replayerOffsets(): Promise<string[]> {
  const { groups } = await stack.admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(`dlq-replayer${suffix}`)).sort();
  const dlq = topicName(stack.topicPrefix, DEAD_LETTER_TOPIC);
  const offsets = await Promise.all(ours.map((groupId) => stack.admin.fetchOffsets({ groupId, topics: [dlq] })));
  return ours.map((id, i) => `${id}@${offsets[i][0].partitions.map((p) => p.offset).join(',')}`);
}

beforeAll(async () => {
  stack = await createTestStack('dlqreplay');
  suffix = stack.env.KAFKA_GROUP_SUFFIX!;
  await stack.admin.createTopics({
    topics: [STOCK, PAYMENT, DEAD_LETTER_TOPIC].map((t) => ({ topic: topicName(stack.topicPrefix, t), numPartitions: t === DEAD_LETTER_TOPIC ? 1 : 3 })),
    waitForLeaders: true,
  });
  producer = new EventProducer(stack.kafka, stack.topicPrefix);
  await producer.connect();
}, 60_000);

afterAll(async () => {
  await producer?.disconnect();
  await stack?.close();
});

describe('dlq:replay', () => {
  it('replays every dead letter once, whatever filters successive runs use, and a dry run changes nothing', async () => {
    const stockOnes = [await deadLetter('stock-service', STOCK), await deadLetter('stock-service', STOCK)];
    const paymentOnes = [await deadLetter('payment-service', PAYMENT), await deadLetter('payment-service', PAYMENT)];
    // parked by the stock group, but from the payment topic: matched by both filters below
    const both = await deadLetter('stock-service', PAYMENT);
    const stockTwo = await deadLetter('stock-service', STOCK);

    // 1. only the stock group's dead letters (by group id without the suffix)
    expect(await replay({ group: 'stock-service' })).toEqual({ scanned: 6, replayed: 4, skipped: 2, replayedBefore: 0 });
    expect(await endOffset(STOCK)).toBe(3);
    expect(await endOffset(PAYMENT)).toBe(1);

    // 2. a dry run of the other filter: says what it would do, publishes and commits nothing
    const offsetsBefore = await replayerOffsets();
    const lines: string[] = [];
    expect(await replay({ topic: PAYMENT, dryRun: true, log: (l) => lines.push(l) })).toEqual({ scanned: 6, replayed: 2, skipped: 3, replayedBefore: 1 });
    expect(lines.filter((l) => l.startsWith('would replay'))).toHaveLength(2);
    expect(await endOffset(PAYMENT)).toBe(1);
    expect(await replayerOffsets()).toEqual(offsetsBefore);

    // 3. the payment topic: the two dead letters the first run skipped are still there; `both` is not replayed again
    expect(await replay({ topic: PAYMENT })).toEqual({ scanned: 6, replayed: 2, skipped: 3, replayedBefore: 1 });
    // 4. an unfiltered run finds nothing left; then a new dead letter is replayed by it, and not by a later filtered run
    expect(await replay()).toEqual({ scanned: 6, replayed: 0, skipped: 0, replayedBefore: 6 });
    const late = await deadLetter('stock-service', STOCK);
    expect(await replay()).toEqual({ scanned: 1, replayed: 1, skipped: 0, replayedBefore: 0 });
    // (a filtered run starts at its own group's offset: everything matching below it was handled)
    expect(await replay({ group: 'stock-service' })).toEqual({ scanned: 1, replayed: 0, skipped: 0, replayedBefore: 1 });
    expect(await replay({ topic: PAYMENT })).toEqual({ scanned: 1, replayed: 0, skipped: 1, replayedBefore: 0 });

    const onStock = await readBack(STOCK);
    const onPayment = await readBack(PAYMENT);
    expect(onStock.map((m) => m.eventId).sort()).toEqual([...stockOnes, stockTwo, late].sort());
    expect(onPayment.map((m) => m.eventId).sort()).toEqual([...paymentOnes, both].sort());
    // original headers kept, the dead-letter ones dropped
    for (const m of [...onStock, ...onPayment]) expect(m.headers).toEqual([Header.EventType]);
  });
});
