import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { AppName } from '@app/config';
import { ensureDatabase, migrate } from '../../libs/database/src/migrate/runner';
import { topicName } from '../../libs/kafka/src/topics';
import { AppProcess } from './app-process';
import { FaultRun, loadRun } from './fault-run';
import { OwnKafka } from './own-kafka';
import { OwnMariaDb } from './own-mariadb';
import { FaultTokens } from './tokens';

/** The run's private broker and database server, which the suites may kill. */
export interface FaultInfra {
  run: FaultRun;
  broker: OwnKafka;
  db: OwnMariaDb;
}

let infra: FaultInfra | undefined;

/** The run's infrastructure; throws what the globalSetup could not start. */
export function faultInfra(): FaultInfra {
  if (infra) return infra;
  const run = loadRun();
  const error = join(run.dir, 'setup-error.txt');
  if (existsSync(error)) throw new Error(`faults globalSetup failed:\n${readFileSync(error, 'utf8')}`);
  infra = { run, broker: new OwnKafka(run.kafka), db: new OwnMariaDb(run.mariadb) };
  return infra;
}

export interface InstanceSpec {
  app: AppName;
  /** Default: the app's name, then `<app>-2`, … */
  name?: string;
  env?: Record<string, string>;
}

/**
 * The apps of one scenario as child processes on the run's broker and database: a fresh migrated
 * database, its own topic prefix and group suffix, its own token key (AUTH_JWT_SECRET, which
 * `tokens` signs with). Instances of one app share its consumer group.
 */
export class FaultStack {
  readonly instances: AppProcess[] = [];
  readonly kafka: Kafka;

  private constructor(
    readonly label: string,
    readonly infra: FaultInfra,
    readonly env: Record<string, string>,
    readonly tokens: FaultTokens,
  ) {
    // the run's broker, or the cluster a scenario brings (env KAFKA_BROKERS)
    this.kafka = new Kafka({ clientId: `faults-${label}`, brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  }

  static async start(label: string, apps: InstanceSpec[], env: Record<string, string> = {}): Promise<FaultStack> {
    const f = faultInfra();
    const tag = `${label.replace(/[^a-z0-9]/gi, '')}_${f.run.runId.replace(/[^a-z0-9]/gi, '')}`;
    const databaseUrl = f.db.url(`f_${tag}`);
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl);
    const tokens = new FaultTokens();
    const stackEnv = {
      LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'info',
      AUTH_JWT_SECRET: tokens.secret,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: f.broker.brokers,
      KAFKA_TOPIC_PREFIX: `f.${tag}.`,
      KAFKA_GROUP_SUFFIX: `-f-${tag}`,
      ...env,
    };
    const stack = new FaultStack(label, f, stackEnv, tokens);
    try {
      await stack.add(...apps);
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  /** Starts more instances (same groups) and waits until each answers /health 200. */
  async add(...specs: InstanceSpec[]): Promise<AppProcess[]> {
    const started = await Promise.all(
      specs.map((spec) => {
        const count = this.instances.filter((i) => i.options.app === spec.app).length;
        const name = spec.name ?? (count === 0 ? spec.app : `${spec.app}-${count + 1}`);
        return AppProcess.spawn({
          app: spec.app,
          name,
          dist: this.infra.run.dist,
          log: join(this.infra.run.logs, `${this.label}.${name}.log`),
          pids: join(this.infra.run.dir, 'pids'),
          env: { ...this.env, ...spec.env },
        });
      }),
    );
    this.instances.push(...started);
    await Promise.all(started.map((p) => p.waitHealthy()));
    return started;
  }

  /** An instance by name (`order`, `stock-2`, …). */
  get(name: string): AppProcess {
    const p = this.instances.find((i) => i.name === name);
    if (!p) throw new Error(`no instance ${name} in stack ${this.label}`);
    return p;
  }

  url(name: string): string {
    return this.get(name).url;
  }

  /** URLs of the instances of an app that are up (answered /health 200 since their last start). */
  urls(app: AppName): string[] {
    return this.instances.filter((i) => i.options.app === app && i.ready).map((i) => i.url);
  }

  topic(contractTopic: string): string {
    return topicName(this.env.KAFKA_TOPIC_PREFIX, contractTopic);
  }

  group(app: AppName): string {
    return `${app}-service${this.env.KAFKA_GROUP_SUFFIX}`;
  }

  /** A fresh admin client per use: the broker may have been restarted since the last one. */
  async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** Exits no test asked for (a crash while a dependency was down counts: it must heal by itself). */
  unexpectedExits(): string[] {
    return this.instances.flatMap((i) => i.unexpectedExits.map((e) => `${i.name} exited by itself (${e.signal ?? e.code})`));
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop()));
  }
}

/** The five apps of the order saga. */
export const SAGA: InstanceSpec[] = [{ app: 'order' }, { app: 'stock' }, { app: 'payment' }, { app: 'shipment' }, { app: 'notification' }];
