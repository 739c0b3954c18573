import { join } from 'node:path';
import { Admin } from 'kafkajs';
import { kafkaScript } from './own-kafka';
import { isAlive, killAndWait, listening, readPid, sleep } from './proc';

export interface OwnKafkaClusterOptions {
  /** KAFKA_HOME_DIR of scripts/kafka/start.sh; node i lives in home/node-i. */
  home: string;
  /** Brokers on port, port+1, …; controllers right after them. */
  port: number;
  size: number;
}

/**
 * A private replicated KRaft cluster (KAFKA_CLUSTER_SIZE nodes, each broker and controller) started
 * with scripts/kafka/start.sh, so a test may SIGKILL one node and start it again on its data.
 */
export class OwnKafkaCluster {
  constructor(readonly options: OwnKafkaClusterOptions) {}

  /** Node ids are 1..size; node n's broker listens on port + n - 1. */
  get nodeIds(): number[] {
    return Array.from({ length: this.options.size }, (_, i) => i + 1);
  }

  get brokers(): string {
    return this.nodeIds.map((n) => `127.0.0.1:${this.options.port + n - 1}`).join(',');
  }

  pid(node: number): number | undefined {
    return readPid(join(this.options.home, `node-${node}`, 'broker.pid'));
  }

  running(node: number): boolean {
    const pid = this.pid(node);
    return pid !== undefined && isAlive(pid);
  }

  /** Starts every node that is not running (all of them the first time) and waits until they answer; returns the ms it took. */
  async start(): Promise<number> {
    const began = Date.now();
    await this.script('start.sh');
    return Date.now() - began;
  }

  /** SIGKILLs one node (no shutdown, no flush) and waits until its process and broker port are gone. */
  async kill(node: number): Promise<void> {
    const pid = this.pid(node);
    if (pid === undefined || !isAlive(pid)) throw new Error(`cluster node ${node} is not running`);
    if (!(await killAndWait(pid, 'SIGKILL', 60_000)))
      throw new Error(`cluster node ${node} (${pid}) still alive 60 s after SIGKILL`);
    while (await listening(this.options.port + node - 1)) await sleep(50);
  }

  async stop(): Promise<void> {
    await this.script('stop.sh');
  }

  private script(name: string): Promise<void> {
    const { home, port, size } = this.options;
    const env = { KAFKA_HOME_DIR: home, KAFKA_PORT: String(port), KAFKA_CLUSTER_SIZE: String(size) };
    return kafkaScript(name, env, join(home, 'node-1', 'broker.log'));
  }
}

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/** Leader, replicas and in-sync replicas of every partition of the topics. */
export async function partitionStates(admin: Admin, topics: string[]): Promise<PartitionState[]> {
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
  return metadata.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionId,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
    })),
  );
}

/** The node that leads the most partitions of these states. */
export function busiestLeader(states: PartitionState[]): number {
  const count = new Map<number, number>();
  for (const s of states) count.set(s.leader, (count.get(s.leader) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0][0];
}
