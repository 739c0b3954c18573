import net from 'node:net';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { EventProducer } from '@app/kafka';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { loadInfra } from '../../../test/infra';

/**
 * The fault behind "a broker restart lost acknowledged claims": the broker writes a produce
 * request but its answer never reaches the client (the connection dies first). Reproduced
 * deterministically by a socket that swallows produce responses while `dropping` is on.
 */
let dropping = false;
const socketFactory = ({ host, port, onConnect }: { host: string; port: number; onConnect: () => void }) => {
  const socket = net.connect({ host, port }, onConnect);
  let producing = false;
  const write = socket.write.bind(socket) as (chunk: Buffer, ...rest: unknown[]) => boolean;
  // request: size(4) apiKey(2) …; apiKey 0 is Produce
  socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
    if (Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === 0) producing = true;
    return write(chunk, ...rest);
  }) as typeof socket.write;
  const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => boolean;
  socket.emit = ((event: string, ...args: unknown[]) => {
    if (event === 'data' && producing && dropping) {
      socket.destroy(Object.assign(new Error('connection reset (test)'), { code: 'ECONNRESET' })); // written by the broker, never acknowledged to us
      return true;
    }
    if (event === 'data') producing = false;
    return emit(event, ...args);
  }) as typeof socket.emit;
  return socket;
};

describe('a produce request the broker wrote but never acknowledged', () => {
  let stack: TestStack;
  let kafka: Kafka;
  let topic: string;

  /** Everything on the topic, up to its end offset now. */
  const readBack = async (): Promise<string[]> => {
    const [{ high }] = await stack.admin.fetchTopicOffsets(topic);
    const consumer = stack.kafka.consumer({ groupId: `${topic}-reader-${Math.random()}`, maxWaitTimeInMs: 100 });
    const values: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(String(message.value)) });
    await eventually(`${high} messages on ${topic}`, async () => (values.length >= Number(high) ? true : undefined), 15_000);
    await consumer.disconnect();
    return values;
  };

  beforeAll(async () => {
    stack = await createTestStack('unacked');
    kafka = new Kafka({ clientId: 'unacked', brokers: loadInfra().brokers.split(','), logLevel: logLevel.NOTHING, socketFactory });
  });
  afterAll(() => stack?.close());
  beforeEach(async () => {
    dropping = false;
    topic = `${stack.topicPrefix}unacked-${Math.random().toString(36).slice(2, 8)}`;
    await stack.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });

  // Why the project does not use kafkajs' idempotent mode: kafkajs rolls the sequence number back
  // after the failed send, the next batch reuses it, and the broker answers "duplicate" to a batch
  // it never stored. If kafkajs ever fixes this, this test fails and the choice can be revisited.
  it('makes kafkajs idempotent producer acknowledge a later batch it never wrote', async () => {
    const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 100 } });
    await producer.connect();
    dropping = true;
    await expect(producer.send({ topic, acks: -1, messages: [{ value: 'first' }] })).rejects.toThrow();
    dropping = false;
    await producer.send({ topic, acks: -1, messages: [{ value: 'second' }] }); // acknowledged…
    await producer.disconnect();
    const values = await readBack();
    expect(values).toContain('first');
    expect(values).not.toContain('second'); // …and lost
  });

  it('EventProducer: every acknowledged message is on the topic (a retried one may be twice)', async () => {
    const producer = new EventProducer(kafka, '', { sendTimeoutMs: 1500 });
    await producer.connect();
    dropping = true;
    await expect(producer.send([{ topic, key: 'k', value: 'first' }])).rejects.toMatchObject({ code: 'KAFKA.UNAVAILABLE' });
    expect(producer.health()).toMatchObject({ ok: false });
    dropping = false;
    await producer.send([{ topic, key: 'k', value: 'second' }]);
    await producer.send([{ topic, key: 'k', value: 'third' }]);
    expect(producer.health()).toEqual({ ok: true });
    await producer.disconnect();
    const values = await readBack();
    expect(values).toEqual(expect.arrayContaining(['second', 'third']));
    // 'first' was never acknowledged: it may be there (the broker wrote it), perhaps more than once
    expect(new Set(values)).toEqual(new Set(['first', 'second', 'third']));
  });
});
