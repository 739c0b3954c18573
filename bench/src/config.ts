import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** `flood`: the coupon servers and the claim flood only. */
export type Part = 'coupon' | 'saga' | 'flood';

/** How much of everything one run does. */
export interface Counts {
  /** Repetitions of every scenario (the median is reported). */
  reps: number;
  /** Claims on one coupon of cap `cap`, both paths. */
  contention: number;
  cap: number;
  /** Claims of the Kafka success path (each a distinct user, cap never reached). */
  success: number;
  /** Claims of the sync success path, and of its limit (raw grouped guarded claims). */
  syncSuccess: number;
  /** Keep-alive connections of the closed-model runs, and workers of the raw claim limits. */
  conns: number;
  /** Claims of the naive one-transaction-per-claim loop (reference). */
  raw: number;
  rawInsert: number;
  rawKafka: number;
  noop: number;
  orders: number;
  rateSeconds: number;
  users: number;
  /** Repetitions of the Kafka success path (100,000 claims each in the full run). */
  kafkaReps: number;
  /** Backlog of the Kafka drain, and of its limit (raw batched apply). */
  drain: number;
  /** Orders of the idle saga run (one at a time), and chains of the raw chain's idle run. */
  idleOrders: number;
  /** Claim flood: the flooder's claims (one user) and its connections (closed loop). */
  floodClaims: number;
  floodConns: number;
  /** Claim flood: the other users' sync claims per second, and how long each phase measures them (s). */
  floodRate: number;
  floodSeconds: number;
}

// The full run is scaled so the whole bench (with start-up) stays under 10 minutes on 2 cores.
export const FULL_COUNTS: Readonly<Counts> = {
  reps: 3,
  contention: 20_000,
  cap: 100,
  success: 100_000,
  syncSuccess: 6_000,
  conns: 100,
  raw: 6_000,
  rawInsert: 100_000,
  rawKafka: 100_000,
  noop: 30_000,
  orders: 3_000,
  rateSeconds: 8,
  users: 100_000,
  kafkaReps: 1,
  drain: 20_000,
  idleOrders: 100,
  floodClaims: 10_000,
  floodConns: 64,
  floodRate: 200,
  floodSeconds: 8,
};

export const SMOKE_COUNTS: Readonly<Counts> = {
  reps: 1,
  contention: 200,
  cap: 100,
  success: 300,
  syncSuccess: 200,
  conns: 20,
  raw: 200,
  rawInsert: 2000,
  rawKafka: 2000,
  noop: 500,
  orders: 50,
  rateSeconds: 2,
  users: 1000,
  kafkaReps: 1,
  drain: 300,
  idleOrders: 10,
  floodClaims: 1000,
  floodConns: 16,
  floodRate: 100,
  floodSeconds: 2,
};

/** What the command line asks for. */
export interface BenchOptions {
  smoke: boolean;
  only?: Part;
  /** The apps run with --cpu-prof; the profiles land in <out>/profiles. */
  profile: boolean;
  /** Run scripts/setup.js first (the launcher does; --no-setup skips it). */
  setup: boolean;
  keepDb: boolean;
  out: string;
  /** `out` is bench/results itself: a full run there prunes older results. */
  defaultOut: boolean;
  basePort: number;
  counts: Counts;
}

export const USAGE =
  'node bench/run.js [--smoke] [--reps N] [--set count=N,...] [--out DIR] [--port BASE] [--no-setup] [--keep-db] [--profile] [--only coupon|saga|flood]';

/**
 * Reads the flags. `--set key=value,...` overrides any count (e.g. `--set success=30000,reps=1`);
 * an unknown flag, count or value is refused rather than ignored.
 */
export function parseArgs(argv: readonly string[], resultsDir: string): BenchOptions {
  const valued = new Set(['reps', 'set', 'out', 'port', 'only']);
  const switches = new Set(['smoke', 'no-setup', 'keep-db', 'profile']);
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(valued.has(name) || switches.has(name)))
      throw new Error(`unknown argument ${argv[i]}\nusage: ${USAGE}`);
    if (switches.has(name)) flags.add(name);
    else {
      const value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value\nusage: ${USAGE}`);
      values.set(name, value);
    }
  }
  const smoke = flags.has('smoke');
  const only = values.get('only');
  if (only !== undefined && only !== 'coupon' && only !== 'saga' && only !== 'flood') throw new Error('--only: coupon, saga or flood');
  const counts: Counts = { ...(smoke ? SMOKE_COUNTS : FULL_COUNTS) };
  if (values.has('reps')) counts.reps = positive('reps', values.get('reps'));
  for (const pair of (values.get('set') ?? '').split(',').filter(Boolean)) {
    const [key, value] = pair.split('=');
    if (!isCount(key, counts)) throw new Error(`--set: unknown count ${key}`);
    counts[key] = positive(key, value);
  }
  const out = values.get('out') ?? resultsDir;
  return {
    smoke,
    only,
    profile: flags.has('profile'),
    setup: !flags.has('no-setup'),
    keepDb: flags.has('keep-db'),
    out,
    defaultOut: join(out) === join(resultsDir),
    basePort: values.has('port') ? positive('port', values.get('port')) : smoke ? 23_000 : 13_000,
    counts,
  };
}

const isCount = (key: string, counts: Counts): key is keyof Counts => Object.prototype.hasOwnProperty.call(counts, key);

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name}: a positive whole number, not ${value}`);
  return n;
}

export interface Ports {
  order: number;
  stock: number;
  payment: number;
  shipment: number;
  notification: number;
  coupon: number;
  couponWorker: number;
  orderWorker: number;
  noop: number;
}

export function portsFrom(base: number): Ports {
  return {
    order: base + 1,
    stock: base + 2,
    payment: base + 3,
    shipment: base + 4,
    notification: base + 5,
    coupon: base + 6,
    couponWorker: base + 7,
    orderWorker: base + 8,
    noop: base + 99,
  };
}

/**
 * The claim routes' limit per client address the coupon app runs with here (COUPON_CLAIM_RATE_PER_IP,
 * default 5,000/s): all of the bench's load comes from one address (127.0.0.1), so it is raised out
 * of the way and every scenario measures the claim paths as before. The per-user limit
 * (COUPON_CLAIM_RATE_PER_USER) keeps its default: the bench's claimants are distinct users, and the
 * claim flood measures that limit at work.
 */
export const BENCH_CLAIM_RATE_PER_IP = 10_000_000;

/** One run's settings: the options, its own database, topic prefix, group suffix and ports. */
export interface BenchConfig extends BenchOptions {
  root: string;
  runId: string;
  /** File-name-safe timestamp of the run. */
  ts: string;
  ports: Ports;
  /** The bench uses the project's own MariaDB (neither BENCH_DATABASE_HOST nor DATABASE_URL set). */
  localDb: boolean;
  dbName: string;
  databaseUrl: string;
  poolSize: number;
  /** The key every app verifies bearer tokens with (AUTH_JWT_SECRET), new each run; the bench signs its tokens with it. */
  authSecret: string;
  /** The environment every app is started with. */
  env: NodeJS.ProcessEnv;
}

/**
 * The server the bench's own database lives on: BENCH_DATABASE_HOST, else DATABASE_URL's, else the
 * project's own MariaDB (scripts/mariadb, port MARIADB_PORT or 3307), as `npm start` does.
 */
export function databaseHost(env: NodeJS.ProcessEnv): string {
  if (env.BENCH_DATABASE_HOST) return env.BENCH_DATABASE_HOST;
  const url = env.DATABASE_URL || `mysql://root@127.0.0.1:${Number(env.MARIADB_PORT) || 3307}/commerce`;
  return url.replace(/\/[^/]*$/, '');
}

export function benchConfig(
  options: BenchOptions,
  root: string,
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): BenchConfig {
  const runId = `b${now.getTime().toString(36)}`;
  const dbName = `bench_${runId}`;
  const databaseUrl = `${databaseHost(env)}/${dbName}`;
  const poolSize = Number(env.BENCH_POOL_SIZE || 10);
  const ports = portsFrom(options.basePort);
  const authSecret = randomBytes(32).toString('base64url');
  const appPorts = {
    order: ports.order,
    stock: ports.stock,
    payment: ports.payment,
    shipment: ports.shipment,
    notification: ports.notification,
    coupon: ports.coupon,
  };
  return {
    ...options,
    root,
    runId,
    ts: now.toISOString().replace(/[:.]/g, '-'),
    ports,
    localDb: !env.BENCH_DATABASE_HOST && !env.DATABASE_URL,
    dbName,
    databaseUrl,
    poolSize,
    authSecret,
    env: {
      ...env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(poolSize),
      AUTH_JWT_SECRET: authSecret,
      COUPON_CLAIM_RATE_PER_IP: String(BENCH_CLAIM_RATE_PER_IP),
      KAFKA_TOPIC_PREFIX: `${runId}.`,
      KAFKA_GROUP_SUFFIX: `-${runId}`,
      ...Object.fromEntries(Object.entries(appPorts).map(([app, port]) => [`${app.toUpperCase()}_PORT`, String(port)])),
    },
  };
}
