// The saga's physical limit on this machine, measured in the same run: a bare chain of
// four hops built from the saga's own ingredients and nothing else. The source (this process)
// commits a row and sends an event (acks=all), grouped the way POST /orders groups them (chains
// started while a commit runs share the next one: GroupCommit, at most 200, two at once); hops 1-3 (each its own
// process, bench/src/raw-chain-hop.ts) consume, commit one MariaDB transaction and send to the
// next topic; hop 4 consumes and commits, as the order app's completion does. Latency is read the
// way the saga's is: from the rows' timestamps, source row -> last hop's row.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { GroupCommit } from '@app/batching/group-commit';
import { createMissingTopics } from '@app/kafka/topics';
import { Db } from './db';
import { Spread, spread } from './hops';
import { Processes } from './processes';
import { sleep } from './util';

export const RAW_CHAIN_HOPS = 4;

export interface RawChainOptions {
  db: Db;
  databaseUrl: string;
  processes: Processes;
  brokers: string[];
  topicPrefix: string;
  /** The saga apps' settings, so the limit is built the same way. */
  poolSize: number;
  concurrency: number;
  partitions: number;
  nodeArgs?: readonly string[];
}

export interface RawChainRun {
  /** Chains started, and how many reached the last hop. */
  started: number;
  completed: number;
  /** Offered rate (open model), absent for the idle run (one at a time). */
  rate?: number;
  seconds: number;
  /** Source row -> last hop's row. */
  endToEndMs: Spread;
  /** Row of hop k-1 -> row of hop k: one hand-off, transaction and send, broker, wake-up. */
  hopsMs: Spread[];
}

const topicOf = (prefix: string, hop: number) => `${prefix}raw-chain.hop-${hop}`;

export class RawChain {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  // the order app's settings (apps/order/src/orders/orders.service.ts)
  private readonly source = new GroupCommit<string>((ids) => this.startChains(ids), {
    maxBatch: 200,
    lingerMs: 0,
    maxInFlight: 2,
  });

  private constructor(private readonly o: RawChainOptions) {
    this.kafka = new Kafka({ clientId: 'bench-raw-chain', brokers: o.brokers, logLevel: logLevel.NOTHING });
    this.producer = this.kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
  }

  /** Creates the table and topics, starts the four hop processes and waits until a chain goes through. */
  static async start(o: RawChainOptions): Promise<RawChain> {
    const chain = new RawChain(o);
    await o.db.exec(
      'CREATE TABLE IF NOT EXISTS raw_chain_step (id CHAR(36) NOT NULL, hop TINYINT NOT NULL, at DATETIME(3) NOT NULL, PRIMARY KEY (id, hop))',
    );
    const admin = chain.kafka.admin();
    await admin.connect();
    const topics = Array.from({ length: RAW_CHAIN_HOPS }, (_, i) => topicOf(o.topicPrefix, i + 1));
    await createMissingTopics(
      admin,
      topics.map((topic) => ({ topic, numPartitions: o.partitions })),
    ).finally(() => admin.disconnect());
    await chain.producer.connect();
    for (let hop = 1; hop <= RAW_CHAIN_HOPS; hop++) {
      o.processes.start(`raw-chain-${hop}`, [...(o.nodeArgs ?? []), 'dist/bench/src/raw-chain-hop.js'], {
        ...process.env,
        RAW_HOP: String(hop),
        RAW_IN: topicOf(o.topicPrefix, hop),
        RAW_OUT: hop < RAW_CHAIN_HOPS ? topicOf(o.topicPrefix, hop + 1) : '',
        RAW_GROUP: `${o.topicPrefix}raw-chain-${hop}`,
        RAW_BROKERS: o.brokers.join(','),
        RAW_DATABASE_URL: o.databaseUrl,
        RAW_POOL_SIZE: String(o.poolSize),
        RAW_CONCURRENCY: String(o.concurrency),
      });
    }
    // Ready when a chain goes through end to end (every hop joined its group).
    const probe = await chain.send();
    const deadline = Date.now() + 90_000;
    while (!(await chain.done([probe]))) {
      if (Date.now() > deadline) throw new Error('raw chain: a probe did not reach the last hop within 90 s');
      await sleep(100);
    }
    return chain;
  }

  /** One chain: resolves once the source's transaction that carried it committed and its send was acknowledged. */
  private async send(): Promise<string> {
    const id = randomUUID();
    await this.source.submit(id);
    return id;
  }

  /** Stamped when the INSERT is built, as the order rows are (apps/order/src/orders/orders.repository.ts). */
  private async startChains(ids: string[]): Promise<void> {
    const at = new Date();
    await this.o.db.transaction((conn) =>
      conn.query('INSERT INTO raw_chain_step (id, hop, at) VALUES ?', [ids.map((id) => [id, 0, at])]),
    );
    await this.producer.send({
      topic: topicOf(this.o.topicPrefix, 1),
      acks: -1,
      messages: ids.map((id) => ({ key: id, value: id })),
    });
  }

  private async done(ids: readonly string[]): Promise<boolean> {
    const [r] = await this.o.db.rows<{ n: number }>(
      'SELECT COUNT(*) AS n FROM raw_chain_step WHERE hop = ? AND id IN (?)',
      [RAW_CHAIN_HOPS, [...ids]],
    );
    return Number(r.n) === ids.length;
  }

  /** One chain at a time, `count` of them, a short pause between two (the idle figure). */
  async idle(count: number, pollMs = 5): Promise<RawChainRun> {
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = await this.send();
      ids.push(id);
      const deadline = Date.now() + 30_000;
      while (!(await this.done([id])) && Date.now() < deadline) await sleep(pollMs);
      await sleep(20);
    }
    return this.result(ids, (Date.now() - started) / 1000);
  }

  /** `rate` chains per second for `seconds`, evenly paced (open model), then waits for the last hop. */
  async atRate(rate: number, seconds: number): Promise<RawChainRun> {
    const amount = Math.max(1, Math.ceil(rate * seconds));
    const started = performance.now();
    const sends: Promise<string>[] = [];
    for (let i = 0; i < amount; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      sends.push(this.send());
    }
    const ids = await Promise.all(sends);
    const deadline = Date.now() + 60_000;
    while (!(await this.done(ids)) && Date.now() < deadline) await sleep(100);
    return { rate, ...(await this.result(ids, (performance.now() - started) / 1000)) };
  }

  private async result(ids: string[], seconds: number): Promise<RawChainRun> {
    const rows = await this.o.db.rows<{ id: string; hop: number; at: Date }>(
      'SELECT id, hop, at FROM raw_chain_step WHERE id IN (?)',
      [ids],
    );
    const marks = new Map<string, number[]>();
    for (const r of rows) {
      const m = marks.get(r.id) ?? [];
      m[Number(r.hop)] = r.at.getTime();
      marks.set(r.id, m);
    }
    const hops: number[][] = Array.from({ length: RAW_CHAIN_HOPS }, () => []);
    const totals: number[] = [];
    for (const m of marks.values()) {
      if (m.length !== RAW_CHAIN_HOPS + 1 || m.some((x) => x === undefined)) continue;
      for (let k = 1; k <= RAW_CHAIN_HOPS; k++) hops[k - 1].push(m[k] - m[k - 1]);
      totals.push(m[RAW_CHAIN_HOPS] - m[0]);
    }
    return {
      started: ids.length,
      completed: totals.length,
      seconds: Math.round(seconds * 10) / 10,
      endToEndMs: spread(totals),
      hopsMs: hops.map(spread),
    };
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
    for (let hop = 1; hop <= RAW_CHAIN_HOPS; hop++) await this.o.processes.stop(`raw-chain-${hop}`);
  }
}
