import { Prisma } from './generated/prisma/client';

type Db = { $executeRaw(query: Prisma.Sql): Prisma.PrismaPromise<number> };

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * One multi-row INSERT through Prisma's raw API, for the hot write paths. Measured on this
 * machine, Prisma's createMany spends about 0.16 ms of CPU per row (83 ms for 500 outbox rows,
 * against 9 ms for this statement), which was the largest single cost of the queued claim path
 * and of the saga's consumers. Table and column names come from code, never from input (and are
 * checked); every value is a bound parameter. Give every column Prisma would fill itself
 * (created_at, updated_at as `new Date()`), so timestamps are written the way Prisma writes them.
 */
export function insertMany(db: Db, table: string, rows: Record<string, unknown>[]): Promise<number> {
  if (rows.length === 0) return Promise.resolve(0);
  const columns = Object.keys(rows[0]);
  for (const name of [table, ...columns]) if (!IDENTIFIER.test(name)) throw new Error(`insertMany: bad identifier ${name}`);
  const head = Prisma.raw(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES `);
  const values = rows.map((row) => Prisma.sql`(${Prisma.join(columns.map((c) => row[c] ?? null))})`);
  return db.$executeRaw(Prisma.sql`${head}${Prisma.join(values)}`);
}
