import { BaseEnv } from '@app/config';
import { PrismaService } from '@app/database';
import { EventProducer, KafkaEventServer, KafkaRuntime, OutboxRelay } from '@app/kafka';
import { automock } from '../../../test/automock';
import { ConsumerProbe } from './consumer-probe';
import { HealthService, PROBE_TIMEOUT_MS } from './health.service';

function setup({ consumes = true, joined = Promise.resolve() } = {}) {
  const mocks = {
    prisma: automock(PrismaService),
    kafka: automock(KafkaRuntime),
    producer: automock(EventProducer),
    relay: automock(OutboxRelay),
    consumer: automock(KafkaEventServer),
  };
  mocks.prisma.ping.mockResolvedValue();
  mocks.kafka.ping.mockResolvedValue();
  mocks.kafka.status.mockReturnValue({ ready: true });
  mocks.producer.health.mockReturnValue({ ok: true });
  mocks.relay.oldestPendingAgeMs.mockResolvedValue(null);
  mocks.consumer.health.mockReturnValue({ state: 'joined', pausedPartitions: 0 });
  mocks.consumer.joined.mockReturnValue(joined);
  const probe = new ConsumerProbe();
  if (consumes) probe.attach(mocks.consumer);
  const sut = new HealthService(mocks.prisma, mocks.kafka, mocks.producer, mocks.relay, probe, { OUTBOX_STALE_MS: 30_000 } as BaseEnv);
  return { sut, mocks };
}

const settled = () => new Promise((r) => setImmediate(r));

describe('HealthService', () => {
  afterEach(() => jest.useRealTimers());

  it('is ok when every part works', async () => {
    const { sut } = setup();
    await settled(); // the probe saw the first join
    expect(await sut.check()).toEqual({
      status: 'ok',
      db: { status: 'up' },
      broker: { status: 'up' },
      producer: { status: 'up' },
      outbox: { status: 'up', oldestPendingMs: null },
      consumer: { status: 'up', state: 'joined', pausedPartitions: 0 },
    });
  });

  it('leaves out the consumer in an app that consumes nothing', async () => {
    const { sut } = setup({ consumes: false });
    const report = await sut.check();
    expect(report.status).toBe('ok');
    expect(report).not.toHaveProperty('consumer');
  });

  it('says starting, naming the broker, while Kafka was never reached', async () => {
    const { sut, mocks } = setup({ joined: new Promise(() => undefined) });
    mocks.kafka.status.mockReturnValue({ ready: false, error: 'Connection error: ECONNREFUSED' });
    mocks.kafka.ping.mockRejectedValue(new Error('Connection error: ECONNREFUSED'));
    mocks.consumer.health.mockReturnValue({ state: 'starting', pausedPartitions: 0 });
    expect(await sut.check()).toMatchObject({
      status: 'starting',
      db: { status: 'up' },
      broker: { status: 'down', reason: 'Connection error: ECONNREFUSED' },
      producer: { status: 'down', reason: 'not connected: Connection error: ECONNREFUSED' },
      consumer: { status: 'down', state: 'starting', reason: 'waiting for Kafka' },
    });
  });

  it('says starting until the consumer joined its group once, then down when it leaves it', async () => {
    let join!: () => void;
    const { sut, mocks } = setup({ joined: new Promise<void>((resolve) => (join = resolve)) });
    mocks.consumer.health.mockReturnValue({ state: 'starting', pausedPartitions: 0 });
    expect(await sut.check()).toMatchObject({ status: 'starting', consumer: { status: 'down', reason: 'joining its group' } });
    join();
    await settled();
    mocks.consumer.health.mockReturnValue({ state: 'rebalancing', pausedPartitions: 0, reason: 'group is rebalancing' });
    expect(await sut.check()).toMatchObject({ status: 'down', consumer: { status: 'down', reason: 'group is rebalancing' } });
    mocks.consumer.health.mockReturnValue({ state: 'joined', pausedPartitions: 0 });
    expect((await sut.check()).status).toBe('ok');
  });

  it('names a failing producer, a stale outbox and paused partitions', async () => {
    const { sut, mocks } = setup();
    await settled();
    mocks.producer.health.mockReturnValue({ ok: false, error: 'broker not reachable', sinceMs: 4200 });
    mocks.relay.oldestPendingAgeMs.mockResolvedValue(45_000);
    mocks.consumer.health.mockReturnValue({ state: 'joined', pausedPartitions: 2, reason: 'database unreachable' });
    expect(await sut.check()).toEqual({
      status: 'down',
      db: { status: 'up' },
      broker: { status: 'up' },
      producer: { status: 'down', reason: 'broker not reachable', sinceMs: 4200 },
      outbox: { status: 'down', reason: 'oldest unpublished event is 45 s old (limit 30 s)', oldestPendingMs: 45_000 },
      consumer: { status: 'down', reason: 'database unreachable', state: 'joined', pausedPartitions: 2 },
    });
  });

  it('keeps an outbox younger than the limit up', async () => {
    const { sut, mocks } = setup();
    mocks.relay.oldestPendingAgeMs.mockResolvedValue(1200);
    expect((await sut.check()).outbox).toEqual({ status: 'up', oldestPendingMs: 1200 });
  });

  it('answers within the probe bound when a dependency hangs, and does not pile up probes', async () => {
    jest.useFakeTimers();
    const { sut, mocks } = setup();
    mocks.prisma.ping.mockReturnValue(new Promise(() => undefined));
    const first = sut.check();
    const second = sut.check();
    await jest.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS);
    const [a, b] = await Promise.all([first, second]);
    expect(a.db).toEqual({ status: 'down', reason: `no answer within ${PROBE_TIMEOUT_MS} ms` });
    expect(b.db.status).toBe('down');
    expect(a.status).toBe('down');
    expect(mocks.prisma.ping).toHaveBeenCalledTimes(1);
  });
});
