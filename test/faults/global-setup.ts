import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FAULTS_DIR, FaultRun, ROOT, saveRun } from './fault-run';
import { OwnKafka } from './own-kafka';
import { OwnMariaDb } from './own-mariadb';
import { freePort } from './proc';

const run = promisify(execFile);
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/**
 * Builds the apps as they are now into the run's own directory (other runs may be using dist/),
 * so each fault run tests the current sources. tsc emits even with type errors: those are the
 * typecheck's business, the fault tests still run.
 */
async function build(outDir: string): Promise<void> {
  await run(process.execPath, [join(ROOT, 'scripts/setup.js'), 'generate'], { cwd: ROOT });
  try {
    await run(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    if (!existsSync(join(outDir, 'apps/order/src/main.js'))) throw error;
    console.warn(`[faults] tsc reported errors; testing what it emitted:\n${(error as { stdout?: string }).stdout ?? ''}`);
  }
  await run(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: ROOT });
}

/**
 * The faults project's own infrastructure: a private Kafka broker and a private MariaDB server
 * on free ports with their own data under .local/faults/<run>/, and a build of the apps. The
 * suites kill and restart these; the shared broker (9092) and database server (3307) are never touched.
 * A failure is recorded for the suites to report instead of aborting the other projects of `npm test`.
 */
export default async function faultsGlobalSetup(): Promise<void> {
  const runId = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
  const dir = join(FAULTS_DIR, runId);
  const faultRun: FaultRun = {
    runId,
    dir,
    dist: join(dir, 'dist'),
    logs: join(dir, 'logs'),
    kafka: {
      home: join(dir, 'kafka'),
      port: Number(process.env.FAULTS_KAFKA_PORT) || (await freePort()),
      controllerPort: Number(process.env.FAULTS_KAFKA_CONTROLLER_PORT) || (await freePort()),
    },
    mariadb: { dir: join(dir, 'mariadb'), port: Number(process.env.FAULTS_MARIADB_PORT) || (await freePort()) },
  };
  mkdirSync(faultRun.logs, { recursive: true });
  saveRun(faultRun);
  const began = Date.now();
  const results = await Promise.allSettled([
    build(faultRun.dist),
    new OwnKafka(faultRun.kafka).start(),
    // the project's MariaDB binaries (unpacked once); elsewhere than Linux x86-64, the machine's
    run('bash', [join(ROOT, 'scripts/mariadb/install.sh')], { cwd: ROOT })
      .catch(() => undefined)
      .then(() => new OwnMariaDb(faultRun.mariadb).start()),
  ]);
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${['build', 'kafka', 'mariadb'][i]}: ${String(r.reason)}`] : []));
  if (failed.length > 0) writeFileSync(join(dir, 'setup-error.txt'), failed.join('\n\n'));
  console.log(
    `\n[faults] run ${runId}: own kafka 127.0.0.1:${faultRun.kafka.port}, own mariadb 127.0.0.1:${faultRun.mariadb.port}, ` +
      `build ${faultRun.dist} (${((Date.now() - began) / 1000).toFixed(1)} s)${failed.length ? `; SETUP FAILED: ${failed.join('; ')}` : ''}`,
  );
}
