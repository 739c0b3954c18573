import { Kafka, Producer } from 'kafkajs';
import { EventProducer, KafkaUnavailableError } from './event-producer';

/** A kafkajs producer whose sendBatch the test settles by hand. */
function fakeKafka() {
  const pending: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  const sendBatch = jest.fn(() => new Promise<never[]>((resolve, reject) => pending.push({ resolve: () => resolve([]), reject })));
  const producer: Pick<Producer, 'sendBatch' | 'connect' | 'disconnect'> = { sendBatch, connect: jest.fn(), disconnect: jest.fn() };
  const options: unknown[] = [];
  const kafka: Pick<Kafka, 'producer'> = {
    producer: (o) => {
      options.push(o);
      return producer as Producer;
    },
  };
  return { kafka: kafka as Kafka, pending, sendBatch, options };
}

const message = { topic: 'order.created.v1', key: 'k', value: 'v' };

describe('EventProducer', () => {
  it('is not idempotent (see the class comment) and keeps one request in flight', () => {
    const f = fakeKafka();
    new EventProducer(f.kafka, 'p.');
    expect(f.options[0]).toMatchObject({ idempotent: false, maxInFlightRequests: 1 });
  });

  it('resolves only once the broker acknowledged, with the prefixed topic', async () => {
    const f = fakeKafka();
    const producer = new EventProducer(f.kafka, 'p.');
    let done = false;
    const sending = producer.send([message]).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    f.pending[0].resolve();
    await sending;
    expect(f.sendBatch).toHaveBeenCalledWith(expect.objectContaining({ acks: -1, topicMessages: [expect.objectContaining({ topic: 'p.order.created.v1' })] }));
  });

  it('fails with KAFKA.UNAVAILABLE at the deadline, reports it in health, and recovers on the next success', async () => {
    const f = fakeKafka();
    const producer = new EventProducer(f.kafka, '', { sendTimeoutMs: 20 });
    await expect(producer.send([message])).rejects.toBeInstanceOf(KafkaUnavailableError);
    expect(producer.health()).toMatchObject({ ok: false, error: expect.stringContaining('20 ms') });
    const next = producer.send([message]);
    f.pending[1].resolve();
    await next;
    expect(producer.health()).toEqual({ ok: true });
  });

  it('while failing, lets one send probe the broker and fails the others at once', async () => {
    const f = fakeKafka();
    const producer = new EventProducer(f.kafka, '', { sendTimeoutMs: 50 });
    const first = producer.send([message]);
    f.pending[0].reject(Object.assign(new Error('Connection error: ECONNREFUSED'), { name: 'KafkaJSConnectionError' }));
    await expect(first).rejects.toMatchObject({ code: 'KAFKA.UNAVAILABLE' });
    const probe = producer.send([message]);
    const started = Date.now();
    await expect(producer.send([message])).rejects.toMatchObject({ code: 'KAFKA.UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(20);
    expect(f.sendBatch).toHaveBeenCalledTimes(2);
    f.pending[1].resolve();
    await probe;
    expect(producer.health().ok).toBe(true);
  });

  it('passes a refusal of the messages themselves through unchanged (not an outage)', async () => {
    const f = fakeKafka();
    const producer = new EventProducer(f.kafka, '');
    const sending = producer.send([message]);
    const tooLarge = Object.assign(new Error('message too large'), {
      name: 'KafkaJSNonRetriableError',
      cause: Object.assign(new Error('MESSAGE_TOO_LARGE'), { name: 'KafkaJSProtocolError', retriable: false }),
    });
    f.pending[0].reject(tooLarge);
    await expect(sending).rejects.toBe(tooLarge);
  });
});
