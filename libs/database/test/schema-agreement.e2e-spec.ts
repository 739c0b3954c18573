// Proves, against a real server, that (1) the runner applies prisma/migrations and records them in
// `_prisma_migrations` the way Prisma does, and (2) schema.prisma, as Prisma's own parser reads it,
// and the migrated database agree: tables, column types/nullability/defaults, keys, indexes, FKs.
// Works on its own fresh databases on the run's server (as global-setup found it: env, container
// or the project's own MariaDB), named with the run's tag so global-teardown drops them even when
// afterAll does not get to.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { checksum, parseMysqlUrl } from '../src/migrate/migrations';
import { dropDatabase, ensureDatabase, migrate } from '../src/migrate/runner';
import { withDatabase } from '../src/mysql-url';
import { loadInfra } from '../../../test/infra';
import { getDatamodel } from './prisma-dmmf';
import { actualShape, diffShapes, expectedShape } from './schema-shape';

const root = join(__dirname, '../../..');
const migrationsDir = join(root, 'prisma/migrations');
const folders = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const infra = loadInfra();
const name = `t${infra.runId}_schema_check_${randomBytes(3).toString('hex')}`;
const url = withDatabase(infra.databaseUrl, name);
const raceUrl = withDatabase(infra.databaseUrl, `${name}_race`);
let conn: Connection;

const rows = async () =>
  (await conn.query<RowDataPacket[]>('SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name'))[0];

beforeAll(async () => {
  await ensureDatabase(url);
  const t = parseMysqlUrl(url);
  conn = await mysql.createConnection({ ...t, timezone: 'Z' });
});

afterAll(async () => {
  await conn?.end();
  await dropDatabase(url);
  await dropDatabase(raceUrl);
});

describe('migration runner', () => {
  it('applies every migration folder, in order, on an empty database', async () => {
    expect(folders.length).toBeGreaterThan(0);
    expect(await migrate(url)).toEqual({ applied: folders });
  });

  it('applies nothing when run again', async () => {
    expect(await migrate(url)).toEqual({ applied: [] });
  });

  it('records each migration as Prisma does: checksum, finished_at, one applied step', async () => {
    const recorded = await rows();
    expect(recorded.map((r) => r.migration_name)).toEqual(folders);
    for (const r of recorded) {
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.checksum).toBe(checksum(readFileSync(join(migrationsDir, r.migration_name, 'migration.sql'))));
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.finished_at.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
      expect(Math.abs(r.started_at.getTime() - Date.now())).toBeLessThan(5 * 60_000); // UTC, like Prisma
      expect(r).toMatchObject({ applied_steps_count: 1, rolled_back_at: null, logs: null });
    }
    const [cols] = await conn.query<RowDataPacket[]>(
      "SELECT COLUMN_NAME n, COLUMN_TYPE t, IS_NULLABLE nul, COLUMN_KEY k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_prisma_migrations' ORDER BY ORDINAL_POSITION",
    );
    expect(cols.map((c) => `${c.n} ${String(c.t).replace(/^int\(\d+\)/, 'int')} ${c.nul}${c.k === 'PRI' ? ' PK' : ''}`)).toEqual([
      'id varchar(36) NO PK', 'checksum varchar(64) NO', 'finished_at datetime(3) YES', 'migration_name varchar(255) NO',
      'logs text YES', 'rolled_back_at datetime(3) YES', 'started_at datetime(3) NO', 'applied_steps_count int unsigned NO',
    ]);
  });

  it('lets only one of several concurrent runners apply a migration (GET_LOCK)', async () => {
    await ensureDatabase(raceUrl);
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(raceUrl)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(folders);
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
  });
});

describe('schema.prisma and the migrated database', () => {
  const expected = expectedShape(getDatamodel(readFileSync(join(root, 'prisma/schema.prisma'), 'utf8')));

  it('agree on every table, column, type, nullability, default, key, index and foreign key', async () => {
    const actual = await actualShape(conn);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    expect(diffShapes(expected, actual)).toEqual([]);
    const [collations] = await conn.query<RowDataPacket[]>(
      "SELECT DISTINCT TABLE_COLLATION c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    );
    expect(collations.map((r) => r.c)).toEqual(['utf8mb4_unicode_ci']);
  });

  it('would notice a drift in the real database, and name it', async () => {
    await conn.query('ALTER TABLE order_order DROP INDEX order_kind_created_idx');
    await conn.query('ALTER TABLE notification_notification MODIFY message VARCHAR(256) NOT NULL');
    await conn.query('ALTER TABLE shipment_shipment MODIFY tracking_number VARCHAR(32) NULL');
    await conn.query('CREATE TABLE stray (id INT PRIMARY KEY)');
    expect(diffShapes(expected, await actualShape(conn)).sort()).toEqual([
      'notification_notification.message: type is varchar(256), schema says varchar(512)',
      'order_order: index order_kind_created_idx missing',
      'shipment_shipment.tracking_number: nullable is true, schema says false',
      'stray: table exists but no model maps to it',
    ]);
  });
});

describe('migration runner refusals', () => {
  it('refuses a migration whose file no longer matches the recorded checksum', async () => {
    await conn.query("UPDATE _prisma_migrations SET checksum = REPEAT('0', 64) WHERE migration_name = ?", [folders[0]]);
    await expect(migrate(url)).rejects.toThrow(new RegExp(`${folders[0]} was modified after it was applied`));
  });

  it('records a failing migration and then refuses to run until it is resolved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      await conn.query("UPDATE _prisma_migrations SET checksum = ? WHERE migration_name = ?", [
        checksum(readFileSync(join(migrationsDir, folders[0], 'migration.sql'))), folders[0],
      ]);
      cpSync(migrationsDir, dir, { recursive: true });
      mkdirSync(join(dir, '99990101000000_broken'));
      writeFileSync(join(dir, '99990101000000_broken', 'migration.sql'), '-- broken on purpose\nSELECT no_such_column FROM no_such_table;\n');
      await expect(migrate(url, dir)).rejects.toThrow(/99990101000000_broken failed: .*no_such_table/);
      const broken = (await rows()).find((r) => r.migration_name === '99990101000000_broken')!;
      expect(broken).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
      expect(broken.logs).toMatch(/no_such_table/);
      await expect(migrate(url, dir)).rejects.toThrow(/99990101000000_broken failed earlier/);
      await expect(migrate(url)).rejects.toThrow(/failed earlier/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a non-empty database that has no migration history', async () => {
    await conn.query('DROP TABLE _prisma_migrations');
    await expect(migrate(url)).rejects.toThrow(/not empty and has no _prisma_migrations/);
  });
});
