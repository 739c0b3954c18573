// Applies prisma/migrations/* and records them in `_prisma_migrations` exactly as Prisma's schema
// engine does (same table, same row life-cycle, same advisory lock), because Prisma's CLI cannot
// download its schema engine here, yet `prisma migrate status/deploy` elsewhere must agree with us.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { findRepoRoot, type MigrationRow, parseMysqlUrl, planMigrations, readMigrations } from './migrations';

// Same lock name as the schema engine (`SELECT GET_LOCK('prisma_migrate', 10)`), so six apps
// starting at once, and a real `prisma migrate deploy`, exclude each other. It is server-wide,
// like Prisma's. We wait longer than Prisma's 10 s because an app may queue behind five others.
const LOCK_NAME = 'prisma_migrate';
const LOCK_TIMEOUT_S = 120;

// Byte-for-byte the DDL of the schema engine's MySQL flavour (create_migrations_table).
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`;

// timezone 'Z': Prisma stores chrono::Utc::now(); we write UTC_TIMESTAMP(3) and read back as UTC.
async function connect(url: string, withDatabase: boolean): Promise<Connection> {
  const t = parseMysqlUrl(url);
  return mysql.createConnection({
    host: t.host,
    port: t.port,
    user: t.user,
    password: t.password,
    database: withDatabase ? t.database : undefined,
    multipleStatements: true,
    timezone: 'Z',
  });
}

async function withServer<T>(url: string, fn: (c: Connection, db: string) => Promise<T>): Promise<T> {
  const conn = await connect(url, false);
  try {
    return await fn(conn, parseMysqlUrl(url).database);
  } finally {
    await conn.end();
  }
}

/** CREATE DATABASE IF NOT EXISTS with the charset Prisma's `create_database` uses. */
export function ensureDatabase(url: string): Promise<void> {
  return withServer(url, async (c, db) => {
    await c.query(`CREATE DATABASE IF NOT EXISTS \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  });
}

/** For tests: DROP DATABASE IF EXISTS. */
export function dropDatabase(url: string): Promise<void> {
  return withServer(url, async (c, db) => {
    await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
  });
}

/** Applies every migration folder not yet recorded, in name order; returns the names applied. */
export async function migrate(
  url: string,
  migrationsDir: string = join(findRepoRoot(), 'prisma', 'migrations'),
): Promise<{ applied: string[] }> {
  const local = readMigrations(migrationsDir);
  const conn = await connect(url, true);
  try {
    const [[lock]] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [LOCK_NAME, LOCK_TIMEOUT_S]);
    if (lock.got !== 1) throw new Error(`could not take the '${LOCK_NAME}' lock within ${LOCK_TIMEOUT_S}s`);
    try {
      await ensureMigrationsTable(conn);
      const [rows] = await conn.query<(RowDataPacket & MigrationRow)[]>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
      );
      const { pending, unknown } = planMigrations(local, rows);
      if (unknown.length > 0) console.warn(`[migrate] applied but not in ${migrationsDir}: ${unknown.join(', ')}`);
      for (const name of pending) await applyOne(conn, local.find((m) => m.name === name)!);
      return { applied: pending };
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await conn.end();
  }
}

// Like Prisma's `initialize`: create the table in an empty database, refuse a non-empty database
// that has no history (P3005) instead of running CREATE TABLEs against unknown tables.
async function ensureMigrationsTable(conn: Connection): Promise<void> {
  const [tables] = await conn.query<RowDataPacket[]>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
  );
  const names = tables.map((t) => String(t.name));
  if (names.includes('_prisma_migrations')) return;
  if (names.length > 0) {
    throw new Error(`database is not empty and has no _prisma_migrations table (tables: ${names.join(', ')})`);
  }
  await conn.query(CREATE_MIGRATIONS_TABLE);
}

// The row life-cycle of the schema engine: insert when started, run the whole script as one step,
// then applied_steps_count + 1 and finished_at. On failure the error goes to `logs` and the row
// stays unfinished, which blocks later runs (planMigrations) as it blocks `prisma migrate deploy`.
async function applyOne(conn: Connection, m: { name: string; script: Buffer; checksum: string }): Promise<void> {
  const id = randomUUID();
  await conn.query(
    'INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES (?, ?, UTC_TIMESTAMP(3), ?)',
    [id, m.checksum, m.name],
  );
  try {
    // An all-comment script would make the server answer "Query was empty"; Prisma accepts it.
    if (m.script.toString('utf8').replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() !== '') {
      await conn.query(m.script.toString('utf8'));
    }
  } catch (err) {
    const logs = `Migration name: ${m.name}\n\n${(err as Error).message}`;
    await conn.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [logs, id]);
    throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
  }
  await conn.query('UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = ?', [id]);
  await conn.query('UPDATE _prisma_migrations SET finished_at = UTC_TIMESTAMP(3) WHERE id = ?', [id]);
}
