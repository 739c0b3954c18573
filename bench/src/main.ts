// `npm run bench`: sync vs Kafka coupon claims and saga throughput, measured
// against limits built like each path, in one run. Started by bench/run.js (which runs set-up
// first). Starts what it needs as child processes (its own database, topic prefix, group suffix
// and ports, so it never collides with `npm start`), drives the load from this process, checks
// the invariants after every scenario (a violation fails the run) and writes
// <out>/<ts>.json, latest.md and latest.svg.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '@app/config';
import { benchConfig, BenchConfig, parseArgs, Part } from './config';
import { BenchTokens } from './auth';
import { Bench, UserPool } from './context';
import { Db } from './db';
import { Processes } from './processes';
import { markdown } from './report';
import { writeResults } from './results';
import { SYNC_GROUP_COMMIT } from './scenarios/raw-claims';
import { couponScenarios } from './scenarios/coupon';
import { sagaScenarios } from './scenarios/saga';
import { summarize } from './summary';
import { BenchReport, Scenarios } from './types';
import { errorText, log, round } from './util';

const HARD_LIMIT_MS = 20 * 60_000;

/** Runs the bench; resolves to the process exit code (0: every invariant held). */
export async function run(root: string, argv: readonly string[]): Promise<number> {
  const config = benchConfig(parseArgs(argv, join(root, 'bench', 'results')), root);
  const failures: string[] = [];
  const procs = new Processes(root, join(config.out, 'logs'), failures);
  let db: Db | undefined;
  const dropDatabase = async () => {
    if (db && !config.keepDb) await db.exec(`DROP DATABASE IF EXISTS \`${config.dbName}\``).catch(() => undefined);
  };
  const hardStop = setTimeout(() => {
    console.error(`[bench] hard time limit (${HARD_LIMIT_MS / 60_000} min) reached`);
    void procs.stopAll().finally(() => process.exit(1));
  }, HARD_LIMIT_MS);
  hardStop.unref();
  process.once('SIGINT', () => {
    void procs
      .stopAll()
      .then(dropDatabase)
      .finally(() => process.exit(130));
  });

  const started = Date.now();
  const couponEnv = loadEnv('coupon', config.env);
  const scenarios: Scenarios = {};
  const report: Omit<BenchReport, 'durationSec' | 'summary' | 'ok'> = {
    id: config.runId,
    timestamp: new Date().toISOString(),
    mode: config.smoke ? 'smoke' : 'full',
    counts: config.counts,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memGiB: round(totalmem() / 2 ** 30, 1),
      platform: `${type()} ${release()}`,
      node: process.version,
    },
    software: softwareVersions(root),
    config: {
      DATABASE_POOL_SIZE: config.poolSize,
      connections: config.counts.conns,
      COUPON_CONSUMER_CONCURRENCY: couponEnv.COUPON_CONSUMER_CONCURRENCY,
      COUPON_CLAIM_PARTITIONS: couponEnv.COUPON_CLAIM_PARTITIONS,
      COUPON_BATCH_SIZE: couponEnv.COUPON_BATCH_SIZE,
      SYNC_GROUP_COMMIT: { ...SYNC_GROUP_COMMIT },
      COUPON_CLAIM_RATE_PER_USER: couponEnv.COUPON_CLAIM_RATE_PER_USER,
      COUPON_CLAIM_RATE_PER_IP: couponEnv.COUPON_CLAIM_RATE_PER_IP,
      COUPON_CLAIM_REFUSAL_DELAY_MS: couponEnv.COUPON_CLAIM_REFUSAL_DELAY_MS,
    },
    scenarios,
    peakRssMiB: {},
    failures,
  };
  try {
    prepareDatabase(config);
    db = new Db(config.databaseUrl, config.poolSize);
    report.software.mariadb = (await db.row<{ v: string }>('SELECT VERSION() AS v')).v;
    const tokens = new BenchTokens(config.authSecret);
    const bench: Bench = { config, counts: config.counts, procs, db, failures, users: new UserPool(), tokens, couponEnv };
    const want = (part: Part) => !config.only || config.only === part;
    if (want('coupon') || want('flood')) await couponScenarios(bench, scenarios);
    // The coupon servers' memory is read now; they are stopped so that they do not share the
    // cores with the saga.
    const couponRss = procs.peakRssMiB();
    await procs.stopAll({ expected: true });
    if (want('saga')) await sagaScenarios(bench, scenarios);
    report.peakRssMiB = {
      ...couponRss,
      ...procs.peakRssMiB(),
      bench: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await procs.stopAll();
    await dropDatabase();
    await db?.end();
  }
  const durationSec = round((Date.now() - started) / 1000, 1);
  const full: BenchReport = {
    ...report,
    durationSec,
    summary: summarize({ scenarios, durationSec }),
    ok: failures.length === 0,
  };
  const jsonPath = writeResults(config, full);
  log(`wrote ${jsonPath} in ${durationSec} s`);
  console.log(markdown(full));
  if (failures.length) {
    console.error(`FAIL: ${failures.length} problem(s):\n- ${failures.join('\n- ')}`);
    return 1;
  }
  console.log('PASS: every invariant held');
  return 0;
}

/**
 * The run's own database: the project's MariaDB is started when it is the one used (as `npm start`
 * does), then the database is created and migrated by the project's migration runner.
 */
function prepareDatabase(config: BenchConfig): void {
  if (config.localDb) {
    const { ensureDatabase } = createRequire(__filename)(join(config.root, 'scripts/database.js')) as {
      ensureDatabase: () => unknown;
    };
    ensureDatabase();
  }
  log(`creating and migrating ${config.dbName}`);
  const r = spawnSync(process.execPath, [join(config.root, 'dist/libs/database/src/migrate/cli.js')], {
    cwd: config.root,
    env: config.env,
    stdio: config.smoke ? 'ignore' : 'inherit',
  });
  if (r.status !== 0) throw new Error(`could not create and migrate ${config.dbName} (exit ${r.status ?? r.signal})`);
}

function softwareVersions(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pkg of ['@nestjs/core', 'fastify', 'kafkajs', '@prisma/client', 'mysql2', 'autocannon']) {
    try {
      out[pkg] = (
        JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }
      ).version;
    } catch {
      // not installed
    }
  }
  const pom = /<kafka\.version>([^<]+)</.exec(readFileSync(join(root, 'scripts/kafka/pom.xml'), 'utf8'))?.[1];
  out.kafka = process.env.KAFKA_BROKERS
    ? `external (${process.env.KAFKA_BROKERS})`
    : `${process.env.KAFKA_VERSION || pom} (scripts/kafka)`;
  return out;
}

/** Entry point of bench/run.js: runs, stops what it started, sets the exit code. */
export function main(root: string, argv: readonly string[]): void {
  run(root, argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('[bench] failed:', error instanceof Error ? error : errorText(error));
      process.exitCode = 1;
    },
  );
}
