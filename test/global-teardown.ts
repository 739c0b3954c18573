import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import '../libs/kafka/src/request-queue-fix'; // this process's admin client too
import mysql from 'mysql2/promise';
import { parseMysqlUrl } from '../libs/database/src/mysql-url';
import { forgetInfra, loadInfra, ROOT } from './infra';

/** Drops this run's databases and topics; stops what global-setup started. */
export default async function globalTeardown(): Promise<void> {
  const infra = loadInfra();
  const tag = `t${infra.runId}`;
  const c = parseMysqlUrl(infra.databaseUrl);
  const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.user, password: c.password });
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW DATABASES LIKE ?', [`${tag}%`]);
  for (const row of rows) await conn.query(`DROP DATABASE \`${Object.values(row)[0] as string}\``);
  await conn.end();

  const admin = new Kafka({ brokers: infra.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(tag));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();

  if (infra.started.containers.length > 0) {
    const { stopContainers } = await import('./containers');
    await stopContainers(infra.started.containers);
  }
  // another jest run still using the broker keeps it running
  const lastRun = forgetInfra();
  if (infra.started.localKafka && lastRun && !process.env.KEEP_KAFKA) {
    execFileSync('bash', [join(ROOT, 'scripts/kafka/stop.sh')], { stdio: 'inherit' });
  }
  if (infra.started.localMariaDb && lastRun && !process.env.KEEP_MARIADB) {
    execFileSync('bash', [join(ROOT, 'scripts/mariadb/stop.sh')], { stdio: 'inherit' });
  }
}
