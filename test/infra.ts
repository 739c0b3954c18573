import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the e2e suites find Kafka and MySQL; written by global-setup, read by every test worker. */
export interface TestInfra {
  runId: string;
  brokers: string;
  databaseUrl: string;
  /** What global-setup started and global-teardown must stop. */
  started: { localKafka: boolean; localMariaDb?: boolean; containers: string[] };
}

export const ROOT = join(__dirname, '..');
// One file per jest run: global-setup names it in the environment, which the test workers inherit,
// so two runs side by side never read (or tear down) each other's databases and topics.
const FILE_VARIABLE = 'E2E_INFRA_FILE';
const infraFile = () => process.env[FILE_VARIABLE] ?? join(ROOT, '.local', 'test-infra.json');

export function saveInfra(infra: TestInfra): void {
  mkdirSync(join(ROOT, '.local'), { recursive: true });
  process.env[FILE_VARIABLE] = join(ROOT, '.local', `test-infra-${infra.runId}.json`);
  writeFileSync(infraFile(), JSON.stringify(infra, null, 2));
}

/** Forgets this run's file; true when no other run is still going (its file would be there). */
export function forgetInfra(): boolean {
  rmSync(infraFile(), { force: true });
  return readdirSync(join(ROOT, '.local')).every((f) => !/^test-infra-.+\.json$/.test(f));
}

export function loadInfra(): TestInfra {
  const FILE = infraFile();
  if (!existsSync(FILE)) throw new Error('e2e infrastructure missing: run the e2e project through jest (globalSetup)');
  return JSON.parse(readFileSync(FILE, 'utf8')) as TestInfra;
}

/** True when a Docker engine answers (testcontainers can then start Kafka and MySQL). */
export function dockerAvailable(): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

/** Starts the project's local Kafka broker (idempotent); returns whether this call started it. */
export function startLocalKafka(): boolean {
  const wasUp = spawnSync(process.execPath, [join(ROOT, 'scripts/kafka/ping.js'), '127.0.0.1:9092'], { timeout: 10_000 }).status === 0;
  if (!wasUp) execFileSync('bash', [join(ROOT, 'scripts/kafka/start.sh')], { stdio: 'inherit', env: { ...process.env, KAFKA_BROKERS: '' } });
  return !wasUp;
}

/** The project's own MariaDB (scripts/mariadb/start.sh, port MARIADB_PORT or 3307). */
export const localMariaDbUrl = (database = 'commerce') =>
  `mysql://root@127.0.0.1:${Number(process.env.MARIADB_PORT) || 3307}/${database}`;

/** Starts the project's own MariaDB (idempotent); returns whether this call started it. */
export function startLocalMariaDb(): boolean {
  const port = String(Number(process.env.MARIADB_PORT) || 3307);
  const wasUp = spawnSync(process.execPath, [join(ROOT, 'scripts/mariadb/ping.js'), port], { timeout: 10_000 }).status === 0;
  if (!wasUp) execFileSync('bash', [join(ROOT, 'scripts/mariadb/start.sh')], { stdio: 'inherit', env: { ...process.env, DATABASE_URL: '' } });
  return !wasUp;
}
