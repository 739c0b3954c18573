import { randomBytes } from 'node:crypto';
import { dockerAvailable, localMariaDbUrl, saveInfra, startLocalKafka, startLocalMariaDb, TestInfra } from './infra';

/**
 * Finds a real Kafka broker and a real MySQL for the e2e suites, in this order:
 * 1. KAFKA_BROKERS / DATABASE_URL from the environment;
 * 2. testcontainers, when a Docker engine is reachable;
 * 3. the project's local broker (scripts/kafka/start.sh) and its own MariaDB (scripts/mariadb/start.sh).
 * Each test file then gets its own database, topic prefix and group ids (test/harness.ts).
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const started: TestInfra['started'] = { localKafka: false, containers: [] };
  let brokers = process.env.KAFKA_BROKERS;
  let databaseUrl = process.env.DATABASE_URL;
  const docker = (!brokers || !databaseUrl) && dockerAvailable();
  if (docker) {
    const { startContainers } = await import('./containers');
    const c = await startContainers({ kafka: !brokers, mysql: !databaseUrl });
    brokers ??= c.brokers;
    databaseUrl ??= c.databaseUrl;
    started.containers = c.ids;
  }
  if (!brokers) {
    started.localKafka = startLocalKafka();
    brokers = '127.0.0.1:9092';
  }
  if (!databaseUrl) {
    started.localMariaDb = startLocalMariaDb();
    databaseUrl = localMariaDbUrl();
  }
  saveInfra({ runId, brokers, databaseUrl, started });
  console.log(`\n[e2e] run ${runId}: kafka ${brokers}, mysql ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
}
