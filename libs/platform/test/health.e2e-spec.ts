import { randomUUID } from 'node:crypto';
import { OutboxSignal } from '@app/database';
import { EventProducer, OutboxRelay } from '@app/kafka';
import { HealthReport } from '@app/platform';
import { OrderModule } from '../../../apps/order/src/order.module';
import { StockModule } from '../../../apps/stock/src/stock.module';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { freePort, tcpProxy } from '../../../test/net';

async function health(url: string): Promise<{ status: number; body: HealthReport; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: (await response.json()) as HealthReport, ms: Date.now() - started };
}

describe('/health: fast and honest while Kafka is unreachable', () => {
  let stack: TestStack;
  const proxies: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    stack = await createTestStack('health');
  });
  afterAll(async () => {
    await stack?.close();
    for (const p of proxies) await p.close();
  });

  it('serves HTTP at once, says starting with the broker down, and turns ok by itself once the broker is reachable', async () => {
    const port = await freePort();
    const app = await stack.start('order', OrderModule, { env: { KAFKA_BROKERS: `127.0.0.1:${port}` }, waitReady: false });

    const starting = await health(app.url);
    expect(starting.ms).toBeLessThan(2500);
    expect(starting.status).toBe(503);
    expect(starting.body).toMatchObject({
      status: 'starting',
      db: { status: 'up' },
      broker: { status: 'down', reason: expect.any(String) },
      producer: { status: 'down', reason: expect.stringMatching(/^not connected/) },
      outbox: { status: 'up' },
      consumer: { status: 'down', state: 'starting' },
    });
    expect((await fetch(`${app.url}/docs-json`)).status).toBe(200);

    // the broker "comes up" on the configured address: no restart of the app
    proxies.push(await tcpProxy(port, stack.env.KAFKA_BROKERS!));
    const ok = await eventually(
      'health 200',
      async () => {
        const h = await health(app.url);
        return h.status === 200 ? h.body : undefined;
      },
      30_000,
    );
    expect(ok).toMatchObject({ status: 'ok', broker: { status: 'up' }, producer: { status: 'up' }, consumer: { state: 'joined' } });
  });

  it('closes promptly while Kafka was never reached', async () => {
    const app = await stack.start('stock', StockModule, {
      env: { KAFKA_BROKERS: `127.0.0.1:${await freePort()}` },
      waitReady: false,
    });
    expect((await health(app.url)).body.status).toBe('starting');
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("measures the age of the service's oldest unpublished outbox row", async () => {
    const service = `h${randomUUID().slice(0, 8)}`;
    const relay = new OutboxRelay(stack.prisma, {} as EventProducer, new OutboxSignal(), { service, batchSize: 10, pollMs: 1000 });
    expect(await relay.oldestPendingAgeMs()).toBeNull();
    const insert = (agoMs: number) => stack.prisma.$executeRaw`
      INSERT INTO outbox_event (service, topic, \`key\`, event_id, value, created_at)
      VALUES (${service}, 'x', 'k', ${randomUUID()}, '{}', ${new Date(Date.now() - agoMs)})`;
    await insert(60_000);
    await insert(1000);
    const age = await relay.oldestPendingAgeMs();
    expect(age).toBeGreaterThanOrEqual(60_000);
    expect(age).toBeLessThan(65_000);
    await stack.prisma.$executeRaw`DELETE FROM outbox_event WHERE service = ${service}`;
  });
});
