import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
/** Everything the fault runs write: one directory per run (data, build, logs, summary). */
export const FAULTS_DIR = join(ROOT, '.local', 'faults');

/**
 * One fault run: its own Kafka broker and MariaDB server (own ports, own data directories), its
 * own build of the apps. Written by the faults globalSetup, read by the suites and the teardown.
 * Nothing here is shared with the e2e project's broker (9092) or the project's database server (3307).
 */
export interface FaultRun {
  runId: string;
  dir: string;
  /** Compiled apps (tsc of the current sources): <dist>/apps/<app>/src/main.js. */
  dist: string;
  logs: string;
  kafka: { home: string; port: number; controllerPort: number };
  mariadb: { dir: string; port: number };
}

const ENV_FILE = 'FAULTS_RUN_FILE';

export function saveRun(run: FaultRun): void {
  mkdirSync(run.dir, { recursive: true });
  const file = join(run.dir, 'run.json');
  writeFileSync(file, JSON.stringify(run, null, 2));
  // The faults project runs in band (serial runner), so the suites see this; the file stays for the teardown.
  process.env[ENV_FILE] = file;
}

export function loadRun(): FaultRun {
  const file = process.env[ENV_FILE];
  if (!file || !existsSync(file)) {
    throw new Error('fault-run infrastructure missing: run the faults project through jest (npm test -- --selectProjects faults)');
  }
  return JSON.parse(readFileSync(file, 'utf8')) as FaultRun;
}
