import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FAULTS_DIR, loadRun } from './fault-run';
import { OwnKafka } from './own-kafka';
import { OwnMariaDb } from './own-mariadb';
import { commandLine, killAndWait, readPid } from './proc';

const KEEP_RUNS = 5;

/**
 * Kills app processes a failed suite left behind, stops the private broker and database, deletes
 * their data and the build (KEEP_FAULTS=1 keeps them), and keeps the logs and summaries of the
 * last few runs.
 */
export default async function faultsGlobalTeardown(): Promise<void> {
  const run = loadRun();
  const pids = join(run.dir, 'pids');
  if (existsSync(pids)) {
    for (const file of readdirSync(pids)) {
      const pid = readPid(join(pids, file));
      if (pid !== undefined && commandLine(pid).includes(run.dist)) {
        if (!(await killAndWait(pid, 'SIGTERM', 10_000))) await killAndWait(pid, 'SIGKILL');
      }
    }
  }
  await Promise.all([
    new OwnKafka(run.kafka).stop().catch((e: Error) => console.warn(`[faults] stopping the private broker: ${e.message}`)),
    (async () => {
      try {
        await new OwnMariaDb(run.mariadb).stop();
      } catch (e) {
        console.warn(`[faults] stopping the private mariadb: ${(e as Error).message}`);
      }
    })(),
  ]);
  if (!process.env.KEEP_FAULTS) {
    for (const p of [run.dist, join(run.kafka.home, 'data'), join(run.mariadb.dir, 'data'), join(run.mariadb.dir, 'tmp')]) {
      rmSync(p, { recursive: true, force: true });
    }
  }
  const runs = readdirSync(FAULTS_DIR)
    .map((name) => join(FAULTS_DIR, name))
    .filter((p) => existsSync(join(p, 'run.json')))
    .sort()
    .reverse(); // run ids start with their UTC start time
  for (const old of runs.slice(KEEP_RUNS)) rmSync(old, { recursive: true, force: true });
}
