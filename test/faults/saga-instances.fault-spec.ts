import { settle, verify } from './invariants';
import { sleep } from './proc';
import { FaultStack, SAGA } from './stack';
import { seconds, summarize } from './summary';
import { groupMembers } from './topic-reader';
import { openShop, Targets, Traffic } from './traffic';

describe('fault: two instances of every saga app in one consumer group', () => {
  let stack: FaultStack | undefined;
  afterAll(async () => {
    await Traffic.stopAll();
    await stack?.close();
  });

  it('completes every order exactly once while the second instances join under load', async () => {
    stack = await FaultStack.start('instances', SAGA);
    const s = stack;
    const shop = await openShop(s);
    const targets: Targets = { orders: () => s.urls('order') };
    const traffic = new Traffic(shop, targets, 150);
    traffic.stream({ ordersPerSecond: 12 });
    await sleep(5_000);
    // the second instance of each app joins its group mid-stream: every group rebalances under load
    const joined = Date.now();
    await s.add(...SAGA);
    const joinMs = Date.now() - joined;
    await sleep(20_000);
    await traffic.stop();
    const settled = await settle(s, targets, shop, 90_000);
    const members = await groupMembers(s);
    const verdict = await verify(s, traffic, shop, targets);

    summarize('two instances per saga app', {
      'second instances healthy s': seconds(joinMs),
      'partitions per member': JSON.stringify(members),
      'settle s': seconds(settled),
      answers: traffic.describe(),
      ...verdict.figures,
    });
    expect(verdict.problems).toEqual([]);
    expect(settled).toBeDefined();
    // both instances of every app share the work: two members, each with partitions
    for (const app of SAGA) {
      const group = s.group(app.app).replace(s.env.KAFKA_GROUP_SUFFIX, '');
      expect({ group, members: members[group]?.length, idle: members[group]?.filter((n) => n === 0).length }).toEqual({ group, members: 2, idle: 0 });
    }
  }, 15 * 60_000);
});
