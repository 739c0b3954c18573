import { randomBytes } from 'node:crypto';
import { DynamicModule, Type } from '@nestjs/common';
import { Admin, Consumer, Kafka, logLevel } from 'kafkajs';
import { DEAD_LETTER_TOPIC } from '@app/events';
import { topicName } from '@app/kafka';
import { AppName } from '@app/config';
import { PrismaService, withDatabase } from '@app/database';
import { AppSetup, Role, runApp, RunningApp, RunOptions, TokenService } from '@app/platform';
import { couponSetup } from '../apps/coupon/src/coupon.setup';
import { ensureDatabase, migrate } from '../libs/database/src/migrate/runner';
import { loadInfra } from './infra';

/**
 * One isolated stack per test file: a fresh migrated database, its own topic prefix and group
 * suffix on the shared broker, so suites can run side by side and leave nothing behind
 * (global-teardown drops everything tagged with the run id).
 */
/** What each app's main.ts passes to main() (see AppSetup). */
const SETUP: Partial<{ [A in AppName]: AppSetup<A> }> = { coupon: couponSetup };

export interface TestStack {
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  topicPrefix: string;
  /** A Prisma client on the stack's database, for assertions. */
  prisma: PrismaService;
  admin: Admin;
  kafka: Kafka;
  /** A bearer token of this stack's key: `Authorization: Bearer ${stack.token('12')}` (roles: user by default). */
  token(subject: string | number, roles?: Role[]): string;
  /** An operator's token. */
  operatorToken: string;
  start<A extends AppName>(name: A, feature: Type | DynamicModule, options?: Omit<RunOptions<A>, 'env'> & { env?: NodeJS.ProcessEnv }): Promise<RunningApp<A>>;
  /** Closes every app started by start() and the stack's own clients. */
  close(): Promise<void>;
}

export async function createTestStack(label: string, env: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  const infra = loadInfra();
  const id = `${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = withDatabase(infra.databaseUrl, `t${infra.runId}_${id}`);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const topicPrefix = `t${infra.runId}.${id}.`;
  const secret = randomBytes(32).toString('base64url');
  const tokens = new TokenService(secret, 3600);
  const token = (subject: string | number, roles: Role[] = ['user']) => tokens.sign({ subject: String(subject), roles }).token;
  const stackEnv: NodeJS.ProcessEnv = {
    AUTH_JWT_SECRET: secret,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    KAFKA_BROKERS: infra.brokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_GROUP_SUFFIX: `-${infra.runId}-${id}`,
    KAFKA_RETRY_BACKOFF_MS: '50',
    OUTBOX_POLL_MS: '200',
    ...env,
  };
  const prisma = new PrismaService(databaseUrl, 5);
  const kafka = new Kafka({ clientId: `test-${id}`, brokers: infra.brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const running: RunningApp[] = [];
  return {
    env: stackEnv,
    databaseUrl,
    topicPrefix,
    prisma,
    admin,
    kafka,
    token,
    operatorToken: token('test-operator', ['operator']),
    async start(name, feature, options = {}) {
      const app = await runApp(name, feature, {
        // what each app's main.ts passes
        ...(SETUP[name] as AppSetup<typeof name> | undefined),
        port: 0,
        logger: process.env.TEST_LOGS ? undefined : false,
        ...options,
        env: { ...stackEnv, ...options.env },
      });
      running.push(app);
      return app;
    },
    async close() {
      for (const app of running.reverse()) await app.close().catch(() => undefined);
      await admin.disconnect();
      await prisma.$disconnect();
    },
  };
}

/** Polls until check() returns a value that is not undefined, or fails with the label after timeoutMs. */
export async function eventually<T>(label: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}${last ? `: ${String(last)}` : ''}`);
}

export interface SeenDeadLetter {
  value: string;
  headers: Record<string, string>;
}

/** Follows the stack's dead-letter topic from its start: `letters` fills as they arrive; stop() when done. */
export async function watchDeadLetters(stack: TestStack): Promise<{ letters: SeenDeadLetter[]; stop(): Promise<void> }> {
  const letters: SeenDeadLetter[] = [];
  const consumer: Consumer = stack.kafka.consumer({ groupId: `${stack.topicPrefix}dlq-reader`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(stack.topicPrefix, DEAD_LETTER_TOPIC), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      letters.push({ value: String(message.value), headers });
    },
  });
  return { letters, stop: () => consumer.disconnect() };
}
