import { z } from 'zod';

// Every setting an app reads, with its default. The apps read their configuration only through
// loadEnv(); the command-line tools (db:migrate, dlq:replay, ops:groups) parse the few settings
// they need with these same schemas.

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
const port = (def: number) => int(def, 1, 65535);

const brokers = z
  .string()
  .default('127.0.0.1:9092')
  .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, 'expected host:port')).min(1));

/** The project's own MariaDB (scripts/mariadb/start.sh, port 3307), which `npm start` starts when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3307/commerce';
const mysqlUrl = z
  .string()
  .default(DEFAULT_DATABASE_URL)
  .refine((s) => /^(mysql|mariadb):\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/.test(s), {
    message: 'expected mysql://user[:password]@host:port/database',
  });

/**
 * Who may call what (README, Security). Every app and the console verify bearer tokens (JWT, HS256)
 * with the one shared key; `npm start`, the tests and the bench make a random one when it is unset.
 */
export const authEnv = z.object({
  /** The key that signs and verifies bearer tokens: at least 32 characters, the same for every app and the console. */
  AUTH_JWT_SECRET: z.string({ error: 'required: the key that signs bearer tokens (at least 32 characters)' }).min(32, 'at least 32 characters'),
  /** on: POST /auth/dev-tokens issues a token for any subject and role (the demo's sign-in). Default: on, except with NODE_ENV=production. */
  AUTH_DEV_TOKENS: z.enum(['on', 'off']).optional(),
  /** Lifetime of the tokens /auth/dev-tokens issues (s). */
  AUTH_TOKEN_TTL_S: int(3600, 60, 7 * 24 * 3600),
});

export const baseEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** json: one JSON object per line (for log shippers); text: readable lines. Default: json in production. */
  LOG_FORMAT: z.enum(['json', 'text']).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: mysqlUrl,
  DATABASE_POOL_SIZE: int(10, 1, 500),
  KAFKA_BROKERS: brokers,
  /** Prepended to every topic name; lets several stacks or test runs share one broker. */
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  /** Suffix for consumer group ids; tests use it for unique groups. */
  KAFKA_GROUP_SUFFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  /** off: serve HTTP only and consume nothing (an API-only instance; the benchmark's backlog drain). */
  KAFKA_CONSUMERS: z.enum(['on', 'off']).default('on'),
  /**
   * Partitions one instance processes at once. Batches in flight together for one handler
   * are applied in one transaction, so more partitions at once also means fewer, larger commits.
   * (The coupon app's claim topic uses COUPON_CONSUMER_CONCURRENCY.)
   */
  KAFKA_CONSUMER_CONCURRENCY: int(12, 1, 64),
  /** Retries (with exponential backoff) before a failing message goes to the dead-letter topic. */
  KAFKA_MAX_RETRIES: int(3, 0, 20),
  KAFKA_RETRY_BACKOFF_MS: int(200, 1, 60_000),
  /**
   * A send the broker has not acknowledged within this fails: a request that needs the broker
   * (a queued claim) answers 503 by then, the outbox keeps its rows for a later try. A request that
   * arrives while a send is failing waits at most about twice this (that send, then one probe).
   */
  KAFKA_SEND_TIMEOUT_MS: int(2500, 500, 120_000),
  /**
   * Consumer group session: a member that stops heartbeating (a killed process) is removed after
   * this, and a restarted instance's join waits about that long. Must lie within the broker's
   * group.min/max.session.timeout.ms (Kafka's defaults: 6 s and 30 min).
   */
  KAFKA_SESSION_TIMEOUT_MS: int(6000, 1000, 1_800_000),
  /** How often a consumer heartbeats; well below KAFKA_SESSION_TIMEOUT_MS (checked at start-up). */
  KAFKA_HEARTBEAT_INTERVAL_MS: int(1000, 100, 60_000),
  OUTBOX_POLL_MS: int(500, 10, 60_000),
  OUTBOX_BATCH_SIZE: int(500, 1, 10_000),
  /**
   * Days an inbox row (processed_event: "this consumer applied this event") is kept; older rows are
   * deleted in small batches every few minutes. A redelivery older than this would be applied again,
   * so keep it at least as long as the topics' retention, dead-letter topic included (a replay goes
   * to every group of the topic; Kafka's default retention: 7 days). Fractions are allowed (tests).
   */
  INBOX_RETENTION_DAYS: z.coerce.number().positive().default(7),
  /** /health reports the outbox down when its oldest unpublished row is older than this. */
  OUTBOX_STALE_MS: int(30_000, 1000, 86_400_000),
  ...authEnv.shape,
});

export const appEnvSchemas = {
  order: baseEnv.extend({ ORDER_PORT: port(3001) }),
  stock: baseEnv.extend({ STOCK_PORT: port(3002) }),
  payment: baseEnv.extend({
    PAYMENT_PORT: port(3003),
    /** The simulator approves amounts up to this (minor units) and declines above it. */
    PAYMENT_LIMIT: int(1_000_000, 0),
  }),
  shipment: baseEnv.extend({ SHIPMENT_PORT: port(3004) }),
  notification: baseEnv.extend({ NOTIFICATION_PORT: port(3005) }),
  coupon: baseEnv.extend({
    COUPON_PORT: port(3006),
    /** Partitions of the claim-request topic (created by the topic bootstrap). */
    COUPON_CLAIM_PARTITIONS: int(6, 1, 256),
    /** Partitions consumed in parallel by one instance (what Spring Kafka's @KafkaListener(concurrency) sets). */
    COUPON_CONSUMER_CONCURRENCY: int(3, 1, 64),
    /** Claims applied per transaction on the queued path (one lock of the coupon row per batch). */
    COUPON_BATCH_SIZE: int(1000, 1, 10_000),
    /** How often the claim reaper looks for queued claims whose send was never acknowledged (ms). */
    COUPON_REAPER_INTERVAL_MS: int(5000, 100, 600_000),
    /** Queued claims unacknowledged for longer than this are re-sent by the reaper (ms); keep it above the producer's send deadline. */
    COUPON_REAPER_AGE_MS: int(10_000, 1000, 3_600_000),
    /** Claims (both paths together) one user may send per second; more answer 429 RATE_LIMITED. Per instance. */
    COUPON_CLAIM_RATE_PER_USER: int(20, 1, 1_000_000),
    /** Claims one client address may send per second, whoever's tokens it uses; more answer 429. Per instance. */
    COUPON_CLAIM_RATE_PER_IP: int(5000, 1, 10_000_000),
    /** A refused claim's 429 is answered this long after it arrived (ms; 0: at once), so a client retrying in a loop slows itself down. */
    COUPON_CLAIM_REFUSAL_DELAY_MS: int(100, 0, 5000),
  }),
} as const;

export type AppName = keyof typeof appEnvSchemas;
export const APP_NAMES = Object.keys(appEnvSchemas) as AppName[];
export type AppEnv<A extends AppName> = z.output<(typeof appEnvSchemas)[A]>;
export type BaseEnv = z.output<typeof baseEnv>;

/** The env variable that holds an app's HTTP port, e.g. ORDER_PORT. */
export const portVariable = (app: AppName) => `${app.toUpperCase()}_PORT`;
