// The saga's latency against its limit: the saga one order at a time (idle), the raw
// four-hop chain idle and at the saga's fixed rates, and where each order's time went, hop by hop.
import { Kafka, logLevel } from 'kafkajs';
import { loadEnv } from '@app/config';
import { partitionsOf } from '@app/kafka/topics';
import { Topic } from '@app/events';
import { Bench } from '../context';
import { http } from '../http';
import { HopTrace, spread, traceSaga } from '../hops';
import { SagaIdleRun } from '../types';
import { RawChain } from '../raw-chain';
import { sleep } from '../util';

/** The order ids of a saga run (created after `since`), for its hop trace. */
export async function orderIdsSince(bench: Bench, since: Date): Promise<string[]> {
  return (
    await bench.db.rows<{ id: string }>(
      "SELECT id FROM order_order WHERE created_at > ? AND status = 'COMPLETED' ORDER BY created_at",
      [since],
    )
  ).map((r) => r.id);
}

function kafkaOf(bench: Bench): { kafka: Kafka; prefix: string; brokers: string[] } {
  const env = loadEnv('order', bench.config.env);
  return {
    kafka: new Kafka({ clientId: 'bench-trace', brokers: env.KAFKA_BROKERS, logLevel: logLevel.NOTHING }),
    prefix: env.KAFKA_TOPIC_PREFIX,
    brokers: env.KAFKA_BROKERS,
  };
}

/** Per-hop times of (a sample of) the given orders. */
export function traceOrders(bench: Bench, ids: readonly string[]): Promise<HopTrace> {
  const { kafka, prefix } = kafkaOf(bench);
  return traceSaga(bench.db, kafka, prefix, ids, 2000);
}

/** `count` orders one at a time: each POSTed when the previous one completed (and 20 ms later). */
export async function sagaIdle(bench: Bench, count: number): Promise<SagaIdleRun> {
  const ids: string[] = [];
  const client: number[] = [];
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    const { id } = (await http('POST', bench.config.ports.order, '/orders', { kind: 'BENCH-SKU', count: 1 }, bench.tokens.buyer)) as {
      id: string;
    };
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { status } = await bench.db.row<{ status: string }>('SELECT status FROM order_order WHERE id = ?', [id]);
      if (status !== 'PENDING' || Date.now() > deadline) break;
      await sleep(5);
    }
    client.push(performance.now() - sent);
    ids.push(id);
    await sleep(20);
  }
  const rows = await bench.db.rows<{ c: Date; u: Date }>(
    "SELECT created_at AS c, updated_at AS u FROM order_order WHERE id IN (?) AND status = 'COMPLETED'",
    [ids],
  );
  const hops = await traceOrders(bench, ids);
  return {
    orders: ids.length,
    endToEndMs: spread(rows.map((r) => r.u.getTime() - r.c.getTime())),
    clientMs: spread(client.map(Math.round)),
    hops,
  };
}

/** Starts the raw chain beside the saga apps, with the saga apps' pool, concurrency and partitions. */
export function startRawChain(bench: Bench): Promise<RawChain> {
  const env = loadEnv('order', bench.config.env);
  const { brokers, prefix } = kafkaOf(bench);
  return RawChain.start({
    db: bench.db,
    databaseUrl: bench.config.databaseUrl,
    processes: bench.procs,
    brokers,
    topicPrefix: prefix,
    poolSize: env.DATABASE_POOL_SIZE,
    concurrency: env.KAFKA_CONSUMER_CONCURRENCY,
    partitions: partitionsOf(Topic.OrderCreated, { claimPartitions: 1 }),
  });
}
