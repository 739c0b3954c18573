import { Topic } from '@app/events';
import { AppProcess } from './app-process';
import { call } from './http';
import { settle, verify } from './invariants';
import { sleep } from './proc';
import { FaultStack, SAGA } from './stack';
import { seconds, summarize } from './summary';
import { committed, groupOffsets, topicSize } from './topic-reader';
import { openShop, Targets, Traffic } from './traffic';

/**
 * SIGKILLs a consumer while it drains a backlog: the process is frozen (SIGSTOP) while the
 * backlog is accepted, thawed, and killed as soon as its first transaction shows, so the kill
 * lands in the middle of the drain. Then it is started again in the same group.
 */
async function killMidDrain(stack: FaultStack, proc: AppProcess, backlog: () => Promise<void>, progress: () => Promise<number>) {
  await proc.kill('SIGSTOP');
  await backlog();
  const before = await progress();
  await proc.kill('SIGCONT');
  const thawed = Date.now();
  let now = before;
  while (now === before && Date.now() - thawed < 30_000) now = await progress();
  await proc.kill('SIGKILL');
  // the dead member stays in the group (Stable, with its partitions) until its session times out
  const group = stack.group(proc.options.app);
  const uncommitted = (await groupOffsets(stack, [group]))?.[group.replace(stack.env.KAFKA_GROUP_SUFFIX, '')]?.lag;
  const restart = await proc.restart();
  return { applied: now - before, uncommitted, restart };
}

describe('fault: a consumer process is SIGKILLed mid-batch and restarted', () => {
  let stack: FaultStack | undefined;
  afterAll(async () => {
    await Traffic.stopAll();
    await stack?.close();
  });

  it('the coupon consumer and the stock service: nothing lost, nothing applied twice, nothing dead-lettered', async () => {
    // the coupon API and the coupon consumer as separate processes, so the consumer dies alone
    stack = await FaultStack.start('consumer', [...SAGA, { app: 'coupon', env: { KAFKA_CONSUMERS: 'off' } }, { app: 'coupon', name: 'coupon-consumer' }]);
    const s = stack;
    const shop = await openShop(s, { total: 1500, value: 500, users: 2000, url: s.url('coupon') });
    const targets: Targets = { orders: () => s.urls('order'), coupon: () => s.url('coupon') };
    const traffic = new Traffic(shop, targets, 150);
    traffic.stream({ ordersPerSecond: 4, claimsPerSecond: 15 });

    const decided = async () => {
      const audit = (await call<{ claims: Record<string, number> }>(s.url('coupon'), 'GET', `/coupons/${shop.coupon!.id}/audit`, { token: shop.operator })).body;
      return Object.entries(audit.claims).reduce((n, [k, v]) => (k.startsWith('PENDING') ? n : n + v), 0);
    };
    const coupon = await killMidDrain(s, s.get('coupon-consumer'), () => traffic.burst({ claims: 3000 }), decided);

    // read from the broker: the frozen stock process answers no HTTP
    const consumed = () => committed(s, 'stock', Topic.OrderCreated);
    const stock = await killMidDrain(
      s,
      s.get('stock'),
      async () => {
        await traffic.burst({ orders: 400 });
        // wait for the order outbox to publish them, so the backlog really is on the topic
        for (let i = 0; i < 100 && (await topicSize(s, Topic.OrderCreated)) < traffic.orders.size; i++) await sleep(100);
      },
      consumed,
    );

    await sleep(3_000);
    await traffic.stop();
    const settled = await settle(s, targets, shop, 90_000);
    const verdict = await verify(s, traffic, shop, targets);
    summarize('consumer SIGKILL mid-batch', {
      'coupon consumer: claims applied before kill / uncommitted at kill': `${coupon.applied}/${coupon.uncommitted ?? '?'}`,
      'coupon consumer restart to /health 200 s': seconds(coupon.restart),
      'stock: orders committed before kill / uncommitted at kill': `${stock.applied}/${stock.uncommitted ?? '?'}`,
      'stock restart to /health 200 s': seconds(stock.restart),
      'settle s': seconds(settled),
      answers: traffic.describe(),
      ...verdict.figures,
    });
    expect(verdict.problems).toEqual([]);
    expect(settled).toBeDefined();
    // A restarted app does not wait out the dead member's 30 s session before it serves and consumes
    expect(coupon.restart).toBeLessThan(20_000);
    expect(stock.restart).toBeLessThan(20_000);
  }, 15 * 60_000);
});
