import { Consumer, KafkaMessage } from 'kafkajs';
import { createEnvelope, DEAD_LETTER_TOPIC, encodeEvent, Header, newId, Topic } from '@app/events';
import { topicName } from '@app/kafka';
import { replayDeadLetters } from '../../../libs/kafka/src/dlq/replay';
import { eventually } from '../../../test/harness';
import { SagaStack, startSaga } from './saga-stack';

const headerOf = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();

describe('order saga: duplicates, poison messages, dead-letter replay', () => {
  let saga: SagaStack;
  let dlqReader: Consumer;
  const deadLetters: KafkaMessage[] = [];
  const topic = (t: string) => topicName(saga.stack.topicPrefix, t);
  const group = (app: string) => `${app}-service${saga.stack.env.KAFKA_GROUP_SUFFIX}`;

  /** A PENDING order that exists only in the database: its OrderCreated is produced by the test. */
  async function pendingOrder(kind: string, count: number) {
    const orderId = newId();
    await saga.stack.prisma.order.create({
      data: { id: orderId, kind, count, history: { create: { status: 'PENDING', step: 'ORDER_CREATED' } } },
    });
    const envelope = createEnvelope(Topic.OrderCreated, { orderId, kind, count, userId: null }, { producer: 'test' });
    return { orderId, envelope, message: encodeEvent(envelope) };
  }

  async function committed(groupId: string, partition: number): Promise<bigint> {
    const [t] = await saga.stack.admin.fetchOffsets({ groupId, topics: [topic(Topic.OrderCreated)] });
    return BigInt(t?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
  }

  beforeAll(async () => {
    saga = await startSaga('reliability');
    dlqReader = saga.stack.kafka.consumer({ groupId: `dlq-reader${saga.stack.env.KAFKA_GROUP_SUFFIX}`, maxWaitTimeInMs: 100 });
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: topic(DEAD_LETTER_TOPIC), fromBeginning: true });
    await dlqReader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  });
  afterAll(async () => {
    await dlqReader?.disconnect();
    await saga?.close();
  });

  it('applies an event delivered twice exactly once', async () => {
    await saga.setStock('dup-1', 10, 500);
    const { orderId, envelope, message } = await pendingOrder('dup-1', 2);
    const producer = saga.stack.kafka.producer();
    await producer.connect();
    const sent = [];
    for (let i = 0; i < 2; i++) sent.push(...(await producer.send({ topic: topic(Topic.OrderCreated), messages: [message] })));
    await producer.disconnect();
    const { partition } = sent[1]!;
    const last = BigInt(sent[1]!.baseOffset!);
    expect(sent[0]!.partition).toBe(partition);
    // both copies consumed (offsets committed past the second) by every group that reads the topic
    for (const app of ['stock', 'notification']) {
      await eventually(`${app} to consume both copies`, async () => ((await committed(group(app), partition)) > last ? true : undefined));
    }
    const order = await saga.terminal(orderId, 4);
    expect(order).toMatchObject({ status: 'COMPLETED', amount: 1000 });
    const db = saga.stack.prisma;
    expect(await db.product.findUniqueOrThrow({ where: { sku: 'dup-1' } })).toMatchObject({ available: 8, reserved: 2 });
    expect(await db.stockReservation.count({ where: { orderId } })).toBe(1);
    expect(await db.payment.count({ where: { orderId } })).toBe(1);
    expect(await db.shipment.count({ where: { orderId } })).toBe(1);
    expect(await db.notification.count({ where: { eventId: envelope.eventId } })).toBe(1);
    expect(await db.processedEvent.count({ where: { eventId: envelope.eventId } })).toBe(1);
  });

  it('dead-letters a message that is not JSON, with the reason in headers, and later orders still complete', async () => {
    const producer = saga.stack.kafka.producer();
    await producer.connect();
    const [meta] = await producer.send({ topic: topic(Topic.OrderCreated), messages: [{ key: 'poison', value: '{oops' }] });
    await producer.disconnect();
    const order = await saga.terminal(await saga.placeOrder('apple', 1), 4);
    expect(order.status).toBe('COMPLETED');
    // every group that reads order.created dead-letters it once: stock and notification
    const parked = await eventually('both groups to dead-letter the poison message', async () => {
      const found = deadLetters.filter((m) => m.value?.toString() === '{oops');
      return found.length === 2 ? found : undefined;
    });
    expect(parked.map((m) => headerOf(m, Header.DlqConsumerGroup)).sort()).toEqual([group('notification'), group('stock')]);
    for (const m of parked) {
      expect(m.key?.toString()).toBe('poison');
      expect(headerOf(m, Header.DlqOriginalTopic)).toBe(topic(Topic.OrderCreated));
      expect(headerOf(m, Header.DlqOriginalPartition)).toBe(String(meta!.partition));
      expect(headerOf(m, Header.DlqOriginalOffset)).toBe(meta!.baseOffset);
      expect(headerOf(m, Header.DlqErrorCode)).toBe('EVENT.INVALID');
      expect(headerOf(m, Header.DlqErrorMessage)).toMatch(/not JSON/);
    }
  });

  it('replays dead-lettered messages to their original topic (dlq:replay)', async () => {
    // a valid event that failed in the stock service (e.g. a bug since fixed) is parked by hand
    await saga.setStock('replay-1', 5, 700);
    const { orderId, message } = await pendingOrder('replay-1', 1);
    const producer = saga.stack.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topic(DEAD_LETTER_TOPIC),
      messages: [{ ...message, headers: { [Header.DlqOriginalTopic]: topic(Topic.OrderCreated), [Header.DlqConsumerGroup]: group('stock'), [Header.DlqErrorCode]: 'BUG' } }],
    });
    await producer.disconnect();
    await eventually('the parked event to be in the dead-letter topic', async () => (deadLetters.some((m) => m.key?.toString() === orderId) ? true : undefined));
    const options = {
      kafka: saga.stack.kafka,
      topicPrefix: saga.stack.topicPrefix,
      groupId: `dlq-replayer${saga.stack.env.KAFKA_GROUP_SUFFIX}`,
      groupSuffix: saga.stack.env.KAFKA_GROUP_SUFFIX,
      group: 'stock-service',
      topic: Topic.OrderCreated,
    };
    // dry run: the poison message and the parked event match the stock group; notification's does not
    expect(await replayDeadLetters({ ...options, dryRun: true })).toMatchObject({ replayed: 2, skipped: 1 });
    expect((await saga.stack.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('PENDING');
    expect(await replayDeadLetters(options)).toMatchObject({ replayed: 2, skipped: 1 });
    expect(await saga.terminal(orderId, 4)).toMatchObject({ status: 'COMPLETED', amount: 700 });
  });
});
