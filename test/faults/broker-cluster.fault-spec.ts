import { join } from 'node:path';
import { ConfigResourceTypes } from 'kafkajs';
import { Topic } from '@app/events';
import { freePortRange } from '../net';
import { settle, verify } from './invariants';
import { busiestLeader, OwnKafkaCluster, partitionStates, PartitionState } from './own-kafka-cluster';
import { sleep } from './proc';
import { FaultStack, faultInfra, SAGA } from './stack';
import { seconds, summarize } from './summary';
import { openShop, Targets, Traffic } from './traffic';

const DOWN_MS = 15_000; // load on the two survivors before the killed broker is started again

describe('fault: on a three-broker cluster, the leader of the claim partitions and then of an order topic are SIGKILLed under load', () => {
  let cluster: OwnKafkaCluster | undefined;
  let stack: FaultStack | undefined;
  afterAll(async () => {
    await Traffic.stopAll();
    await stack?.close();
    await cluster?.stop();
  });

  it(
    'loses nothing acknowledged, restarts no app, and each killed broker rejoins the in-sync replicas',
    async () => {
      const { run } = faultInfra();
      cluster = new OwnKafkaCluster({ home: join(run.dir, 'cluster'), port: await freePortRange(6), size: 3 });
      const c = cluster;
      const clusterStart = await c.start();
      stack = await FaultStack.start('cluster', [...SAGA, { app: 'coupon' }], { KAFKA_BROKERS: c.brokers });
      const s = stack;
      const claimTopic = s.topic(Topic.CouponClaimRequested);
      const orderTopic = s.topic(Topic.OrderCreated);
      const states = () => s.withAdmin((admin) => partitionStates(admin, [claimTopic, orderTopic]));

      // The topics the apps created: every partition on all three brokers, all in sync, and a write
      // needs two in-sync copies.
      const notReplicated = (await states()).filter((p) => p.replicas.length !== 3 || p.isr.length !== 3);
      expect(notReplicated).toEqual([]);
      const config = await s.withAdmin((admin) =>
        admin.describeConfigs({
          resources: [claimTopic, orderTopic].map((name) => ({
            type: ConfigResourceTypes.TOPIC,
            name,
            configNames: ['min.insync.replicas'],
          })),
          includeSynonyms: false,
        }),
      );
      expect(
        config.resources.map((r) => r.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue),
      ).toEqual(['2', '2']);

      const shop = await openShop(s, { total: 300, value: 700, users: 600 });
      const targets: Targets = { orders: () => s.urls('order'), coupon: () => s.url('coupon') };
      const traffic = new Traffic(shop, targets, 150);
      traffic.stream({ ordersPerSecond: 8, claimsPerSecond: 30 });
      await sleep(5_000);

      const kills: { topic: string; node: number; leadersWhileDown: number[]; restartMs: number; inSyncMs?: number }[] =
        [];
      for (const topic of [claimTopic, orderTopic]) {
        const node = busiestLeader((await states()).filter((p) => p.topic === topic));
        await c.kill(node);
        await sleep(DOWN_MS);
        const leadersWhileDown = [
          ...new Set((await states()).filter((p) => p.topic === topic).map((p) => p.leader)),
        ].sort();
        const restartMs = await c.start();
        const inSyncMs = await untilInSync(states, node, 120_000);
        kills.push({ topic, node, leadersWhileDown, restartMs, inSyncMs });
      }
      await sleep(5_000);
      await traffic.stop();
      const settled = await settle(s, targets, shop, 90_000);
      const verdict = await verify(s, traffic, shop, targets);

      summarize('cluster leader SIGKILL', {
        'cluster start s': seconds(clusterStart),
        killed: kills
          .map((k) => `node ${k.node} (led ${k.topic === claimTopic ? 'claims' : 'order.created'})`)
          .join(', '),
        'leaders while down': kills.map((k) => k.leadersWhileDown.join('+')).join(' / '),
        'restart s': kills.map((k) => seconds(k.restartMs)),
        'back in sync s': kills.map((k) => seconds(k.inSyncMs)),
        'longest client wait s': seconds(traffic.slowestMs),
        'refusal s p50/p99/max': [traffic.refusalMs(0.5), traffic.refusalMs(0.99), traffic.refusalMs(1)].map(seconds),
        answers: traffic.describe(),
        skipped: traffic.skipped,
        'settle s': seconds(settled),
        ...verdict.figures,
      });
      expect(verdict.problems).toEqual([]);
      expect(settled).toBeDefined();
      for (const k of kills) {
        // while it was down, the survivors led its partitions (no unclean election: they were in sync)
        expect({ node: k.node, leaders: k.leadersWhileDown.filter((l) => l === k.node || l < 0) }).toEqual({
          node: k.node,
          leaders: [],
        });
        expect({ node: k.node, inSync: k.inSyncMs !== undefined }).toEqual({ node: k.node, inSync: true });
      }
    },
    15 * 60_000,
  );
});

/** Waits until `node` is in the ISR of every partition again; the ms it took, or undefined. */
async function untilInSync(
  states: () => Promise<PartitionState[]>,
  node: number,
  timeoutMs: number,
): Promise<number | undefined> {
  const began = Date.now();
  while (Date.now() - began < timeoutMs) {
    const lagging = (await states().catch(() => undefined))?.filter((p) => !p.isr.includes(node));
    if (lagging?.length === 0) return Date.now() - began;
    await sleep(500);
  }
  return undefined;
}
