import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { freePort, tcpProxy } from '../../../test/net';
import { CouponModule } from '../src/coupon.module';

describe('GET /ops/consumer-groups against a broker that is not there yet', () => {
  let stack: TestStack;
  const proxies: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    stack = await createTestStack('opsreconnect');
  });
  afterAll(async () => {
    await stack?.close();
    for (const p of proxies) await p.close();
  });

  it('answers 503 KAFKA.UNAVAILABLE within its deadline, then the groups once the broker is reachable, without a restart', async () => {
    const port = await freePort(); // nothing listens: the broker is down
    const app = await stack.start('coupon', CouponModule, { env: { KAFKA_BROKERS: `127.0.0.1:${port}` }, waitReady: false });

    const operator = { headers: { authorization: `Bearer ${stack.operatorToken}` } };
    const started = Date.now();
    const down = await fetch(`${app.url}/ops/consumer-groups`, operator);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: 'KAFKA.UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(5000);

    // the broker "comes up" on the configured address
    proxies.push(await tcpProxy(port, stack.env.KAFKA_BROKERS!));
    const body = await eventually(
      'the consumer groups',
      async () => {
        const r = await fetch(`${app.url}/ops/consumer-groups`, operator);
        return r.status === 200 ? ((await r.json()) as { topicPrefix: string; groups: unknown[] }) : undefined;
      },
      30_000,
    );
    expect(body.topicPrefix).toBe(stack.topicPrefix);
    expect(Array.isArray(body.groups)).toBe(true);
  });
});
