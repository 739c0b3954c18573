import { Topic } from '@app/events';
import { settle, verify } from './invariants';
import { sleep } from './proc';
import { FaultStack, faultInfra, SAGA } from './stack';
import { seconds, summarize } from './summary';
import { consumerLag, topicSize } from './topic-reader';
import { openShop, recovery, Targets, Traffic } from './traffic';

const OUTAGE_MS = 15_000;

describe('fault: the database server is SIGKILLed and stays down while messages are consumed', () => {
  let stack: FaultStack | undefined;
  afterAll(async () => {
    // a failed run must not leave the shared-by-the-run server down for the next suite
    const { db } = faultInfra();
    if (!db.running) await db.start();
    await Traffic.stopAll();
    await stack?.close();
  });

  it(`dead-letters nothing during ${OUTAGE_MS / 1000} s without a database, and everything completes after, without an app restart`, async () => {
    const { db } = faultInfra();
    stack = await FaultStack.start('database', [...SAGA, { app: 'coupon', env: { KAFKA_CONSUMERS: 'off' } }, { app: 'coupon', name: 'coupon-consumer' }]);
    const s = stack;
    const shop = await openShop(s, { total: 1000, value: 500, users: 1500, url: s.url('coupon') });
    const targets: Targets = { orders: () => s.urls('order'), coupon: () => s.url('coupon') };
    const traffic = new Traffic(shop, targets, 150);

    // A backlog for every consumer: frozen while orders and claims are accepted, thawed once the
    // database is gone, so they consume during the outage.
    const consumers = ['stock', 'payment', 'shipment', 'notification', 'coupon-consumer'].map((n) => s.get(n));
    for (const c of consumers) await c.kill('SIGSTOP');
    await traffic.burst({ orders: 300, claims: 1500 });
    for (let i = 0; i < 100 && (await topicSize(s, Topic.OrderCreated)) < traffic.orders.size; i++) await sleep(100);
    const backlog = await consumerLag(s);

    await db.kill('SIGKILL');
    for (const c of consumers) await c.kill('SIGCONT');
    traffic.stream({ ordersPerSecond: 4, claimsPerSecond: 15 });
    await sleep(OUTAGE_MS);
    const dbStart = await db.start(); // same port, same data: InnoDB crash recovery
    const rec = await recovery(traffic, targets, Date.now(), 90_000);
    await sleep(3_000);
    await traffic.stop();
    const settled = await settle(s, targets, shop, 90_000);
    const verdict = await verify(s, traffic, shop, targets);

    summarize('database SIGKILL, 15 s down', {
      'backlog at kill (uncommitted by group)': JSON.stringify(backlog ?? {}),
      'outage s': seconds(OUTAGE_MS + dbStart),
      'db start s': seconds(dbStart),
      'recovery s (new order+claim terminal after db up)': seconds(rec),
      'settle s': seconds(settled),
      'refusal s p50/p99/max': [traffic.refusalMs(0.5), traffic.refusalMs(0.99), traffic.refusalMs(1)].map(seconds),
      answers: traffic.describe(),
      ...verdict.figures,
    });
    expect(verdict.problems).toEqual([]);
    expect(settled).toBeDefined();
    expect(rec).toBeDefined();
  }, 15 * 60_000);
});
