// The pure half of the migration runner: URL parsing, checksums, ordering and the decision of what
// to apply. No database I/O here, so every rule is unit-tested (migrations.spec.ts).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** `mysql://user[:pass]@host[:port]/db` → connection options. Rejects anything we could not quote safely. */
export function parseMysqlUrl(url: string): MysqlTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`DATABASE_URL is not a URL: ${url}`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`DATABASE_URL must start with mysql:// (got ${u.protocol}//)`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  // The name ends up inside backticks in CREATE/DROP DATABASE; allow only what needs no escaping.
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(database)) {
    throw new Error(`DATABASE_URL must name a database ([A-Za-z0-9_$-], max 64 chars): ${url}`);
  }
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database,
  };
}

/** Prisma's checksum: lowercase hex SHA-256 of the migration.sql bytes as they are on disk. */
export function checksum(script: Buffer | string): string {
  return createHash('sha256').update(script).digest('hex');
}

/**
 * Prisma applies folders in name order (the timestamp prefix). Compare by code unit, not
 * localeCompare: a locale may sort `_` or digits differently and silently reorder migrations.
 */
export function sortMigrationNames(names: string[]): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface LocalMigration {
  name: string;
  script: Buffer;
  checksum: string;
}

/** Every sub-folder of `dir` is a migration and must hold a migration.sql, as for Prisma. */
export function readMigrations(dir: string): LocalMigration[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  return sortMigrationNames(names).map((name) => {
    const file = join(dir, name, 'migration.sql');
    if (!existsSync(file)) throw new Error(`migration folder ${name} has no migration.sql`);
    const script = readFileSync(file);
    return { name, script, checksum: checksum(script) };
  });
}

/** The repo root is the nearest ancestor holding prisma/schema.prisma: works from src/ and dist/. */
export function findRepoRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'prisma', 'schema.prisma'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/** A row of `_prisma_migrations`, as far as the plan needs it. */
export interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * What to apply, or a loud refusal. Mirrors `prisma migrate deploy`: a failed migration (started,
 * never finished, not marked rolled back) blocks everything until a human resolves it, because
 * MySQL DDL is not transactional and the schema may be half-changed. A rolled-back row does not
 * count as applied. We are stricter than deploy about edited files: a checksum mismatch means the
 * database was built from different SQL than the repository holds.
 */
export function planMigrations(
  local: Pick<LocalMigration, 'name' | 'checksum'>[],
  rows: MigrationRow[],
): { pending: string[]; unknown: string[] } {
  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed.length > 0) {
    const names = failed.map((r) => r.migration_name).join(', ');
    throw new Error(
      `migration(s) ${names} failed earlier (finished_at and rolled_back_at are NULL in _prisma_migrations); ` +
        `fix the database by hand, then mark the row rolled back or finished (prisma migrate resolve)`,
    );
  }
  const applied = new Map<string, string>();
  for (const r of rows) if (r.rolled_back_at === null) applied.set(r.migration_name, r.checksum);
  for (const m of local) {
    const recorded = applied.get(m.name);
    if (recorded !== undefined && recorded !== m.checksum) {
      throw new Error(
        `migration ${m.name} was modified after it was applied: checksum in database ${recorded}, file ${m.checksum}`,
      );
    }
  }
  const names = new Set(local.map((m) => m.name));
  return {
    pending: sortMigrationNames(local.filter((m) => !applied.has(m.name)).map((m) => m.name)),
    unknown: [...applied.keys()].filter((n) => !names.has(n)),
  };
}
