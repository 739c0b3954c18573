// One normalised "shape" of a MySQL schema, computed twice: from Prisma's DMMF (what schema.prisma
// says) and from information_schema (what the migrations built). diffShapes names every difference.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Datamodel, DmmfField } from './prisma-dmmf';

export interface ColumnShape {
  type: string; // lower-case MySQL column type without integer display width: `int`, `varchar(64)`, `enum('A','B')`
  nullable: boolean;
  default: string | null; // `now()`, a literal without quotes, or null
  autoIncrement: boolean;
}
export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  indexes: Record<string, { unique: boolean; columns: string[] }>;
  foreignKeys: Record<string, { columns: string[]; references: string; onDelete: string; onUpdate: string }>;
}
export type SchemaShape = Record<string, TableShape>;

// Prisma's MySQL mapping of scalar types without @db (only those we could meet); native types
// (@db.X(args)) map to X(args). Anything else throws, so a new type cannot pass unchecked.
const SCALAR: Record<string, string> = {
  Int: 'int', BigInt: 'bigint', String: 'varchar(191)', DateTime: 'datetime(3)',
  Boolean: 'tinyint(1)', Float: 'double', Decimal: 'decimal(65,30)',
};
const NATIVE = new Set(['VarChar', 'Char', 'Text', 'TinyText', 'MediumText', 'LongText', 'DateTime', 'Int', 'BigInt', 'SmallInt', 'TinyInt', 'Date', 'Timestamp']);

function columnType(f: DmmfField, enums: Datamodel['enums']): string {
  if (f.kind === 'enum') {
    const e = enums.find((x) => x.name === f.type)!;
    return `enum(${e.values.map((v) => `'${v.dbName ?? v.name}'`).join(',')})`;
  }
  if (f.nativeType) {
    const [name, args] = f.nativeType;
    if (!NATIVE.has(name)) throw new Error(`schema-shape does not know @db.${name} yet (${f.name})`);
    return integerType(`${name.toLowerCase()}${args.length ? `(${args.join(',')})` : ''}`);
  }
  if (!(f.type in SCALAR)) throw new Error(`schema-shape does not know the Prisma type ${f.type} yet (${f.name})`);
  return SCALAR[f.type];
}

// MariaDB and MySQL 5.7 report `int(11)`, MySQL 8 reports `int`: the width is display-only.
const integerType = (t: string) => (/^(tinyint|smallint|mediumint|int|bigint)\(\d+\)/.test(t) && !/^tinyint\(1\)/.test(t) ? t.replace(/\(\d+\)/, '') : t);

function columnDefault(f: DmmfField): string | null {
  const d = f.default as { name?: string } | string | number | boolean | undefined;
  if (d === undefined) return null;
  if (typeof d === 'object') {
    if (d.name === 'now') return 'now()';
    if (d.name === 'autoincrement') return null;
    throw new Error(`schema-shape does not know @default(${d.name}()) yet (${f.name})`);
  }
  return typeof d === 'boolean' ? (d ? '1' : '0') : String(d);
}

/** The shape schema.prisma asks for, read from Prisma's DMMF. Default names follow Prisma's rules. */
export function expectedShape(dm: Datamodel): SchemaShape {
  const tableOf = (model: string) => {
    const m = dm.models.find((x) => x.name === model)!;
    return m.dbName ?? m.name;
  };
  const shape: SchemaShape = {};
  for (const m of dm.models) {
    const table = m.dbName ?? m.name;
    const col = (field: string, model = m) => {
      const f = model.fields.find((x) => x.name === field)!;
      return f.dbName ?? f.name;
    };
    const t: TableShape = { columns: {}, primaryKey: [], indexes: {}, foreignKeys: {} };
    for (const f of m.fields.filter((x) => x.kind === 'scalar' || x.kind === 'enum')) {
      const auto = (f.default as { name?: string } | undefined)?.name === 'autoincrement';
      t.columns[col(f.name)] = { type: columnType(f, dm.enums), nullable: !f.isRequired, default: columnDefault(f), autoIncrement: auto };
    }
    for (const i of dm.indexes.filter((x) => x.model === m.name)) {
      const cols = i.fields.map((x) => col(x.name));
      if (i.type === 'id') t.primaryKey = cols;
      else if (i.type === 'fulltext') throw new Error('schema-shape does not know @@fulltext yet');
      else t.indexes[i.dbName ?? `${table}_${cols.join('_')}_${i.type === 'unique' ? 'key' : 'idx'}`] = { unique: i.type === 'unique', columns: cols };
    }
    for (const f of m.fields.filter((x) => x.kind === 'object' && x.relationFromFields?.length)) {
      const from = f.relationFromFields!.map((x) => col(x));
      const target = dm.models.find((x) => x.name === f.type)!;
      const optional = f.relationFromFields!.some((x) => !m.fields.find((y) => y.name === x)!.isRequired);
      t.foreignKeys[`${table}_${from.join('_')}_fkey`] = {
        columns: from,
        references: `${tableOf(f.type)}(${f.relationToFields!.map((x) => col(x, target)).join(',')})`,
        onDelete: rule(f.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict')),
        onUpdate: rule(f.relationOnUpdate ?? 'Cascade'),
      };
    }
    shape[table] = t;
  }
  return shape;
}

const rule = (action: string) => action.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase(); // SetNull → SET NULL

/** The shape of the connection's current database, from information_schema (MariaDB and MySQL 8). */
export async function actualShape(conn: Connection, ignore: string[] = ['_prisma_migrations']): Promise<SchemaShape> {
  const q = async (sql: string) => (await conn.query<RowDataPacket[]>(sql))[0];
  const shape: SchemaShape = {};
  for (const r of await q("SELECT TABLE_NAME t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")) {
    if (!ignore.includes(r.t)) shape[r.t] = { columns: {}, primaryKey: [], indexes: {}, foreignKeys: {} };
  }
  const cols = await q('SELECT TABLE_NAME t, COLUMN_NAME c, COLUMN_TYPE ty, IS_NULLABLE n, COLUMN_DEFAULT d, EXTRA e FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY ORDINAL_POSITION');
  for (const r of cols.filter((x) => shape[x.t])) {
    shape[r.t].columns[r.c] = { type: normaliseType(String(r.ty)), nullable: r.n === 'YES', default: normaliseDefault(r.d), autoIncrement: /auto_increment/i.test(r.e) };
  }
  const stats = await q('SELECT TABLE_NAME t, INDEX_NAME i, NON_UNIQUE nu, COLUMN_NAME c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX');
  for (const r of stats.filter((x) => shape[x.t])) {
    const t = shape[r.t];
    if (r.i === 'PRIMARY') t.primaryKey.push(r.c);
    else (t.indexes[r.i] ??= { unique: Number(r.nu) === 0, columns: [] }).columns.push(r.c);
  }
  const fks = await q(`SELECT k.TABLE_NAME t, k.CONSTRAINT_NAME n, k.COLUMN_NAME c, k.REFERENCED_TABLE_NAME rt, k.REFERENCED_COLUMN_NAME rc, r.DELETE_RULE del, r.UPDATE_RULE upd
    FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
      ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
    WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`);
  const refCols: Record<string, string[]> = {};
  for (const r of fks.filter((x) => shape[x.t])) {
    const fk = (shape[r.t].foreignKeys[r.n] ??= { columns: [], references: '', onDelete: r.del, onUpdate: r.upd });
    fk.columns.push(r.c);
    (refCols[`${r.t}.${r.n}`] ??= []).push(r.rc);
    fk.references = `${r.rt}(${refCols[`${r.t}.${r.n}`].join(',')})`;
  }
  return shape;
}

// Lower-case the type but not enum values, which are case-sensitive data.
const normaliseType = (t: string) => (/^enum\(/i.test(t) ? `enum${t.slice(4)}` : integerType(t.toLowerCase()));

// MariaDB: `current_timestamp(3)`, quoted strings, the text `NULL` for "no default".
// MySQL 8: `CURRENT_TIMESTAMP(3)`, unquoted strings, SQL NULL.
function normaliseDefault(d: string | null): string | null {
  if (d === null || d === 'NULL') return null;
  if (/^current_timestamp\(3\)$/i.test(d)) return 'now()';
  return d.replace(/^'(.*)'$/s, '$1');
}

/** Every difference, named `table.column: what` etc.; an empty list means the two agree. */
export function diffShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const table of Object.keys(actual)) if (!expected[table]) out.push(`${table}: table exists but no model maps to it`);
  for (const [table, e] of Object.entries(expected)) {
    const a = actual[table];
    if (!a) {
      out.push(`${table}: table missing`);
      continue;
    }
    for (const c of Object.keys(a.columns)) if (!e.columns[c]) out.push(`${table}.${c}: column exists but no field maps to it`);
    for (const [c, ec] of Object.entries(e.columns)) {
      const ac = a.columns[c];
      if (!ac) out.push(`${table}.${c}: column missing`);
      else for (const k of Object.keys(ec) as (keyof ColumnShape)[]) if (ec[k] !== ac[k]) out.push(`${table}.${c}: ${k} is ${ac[k]}, schema says ${ec[k]}`);
    }
    if (!same(e.primaryKey, a.primaryKey)) out.push(`${table}: primary key is (${a.primaryKey}), schema says (${e.primaryKey})`);
    // InnoDB silently adds an index named after a foreign key that no index covers; Prisma does
    // not model it, so such an index is tolerated (ours are all covered, so none exists today).
    const implicit = (name: string) => name in e.foreignKeys;
    for (const i of Object.keys(a.indexes)) if (!e.indexes[i] && !implicit(i)) out.push(`${table}: index ${i} exists but is not in the schema`);
    for (const [i, ei] of Object.entries(e.indexes)) {
      if (!a.indexes[i]) out.push(`${table}: index ${i} missing`);
      else if (!same(ei, a.indexes[i])) out.push(`${table}: index ${i} is ${JSON.stringify(a.indexes[i])}, schema says ${JSON.stringify(ei)}`);
    }
    for (const f of Object.keys(a.foreignKeys)) if (!e.foreignKeys[f]) out.push(`${table}: foreign key ${f} exists but is not in the schema`);
    for (const [f, ef] of Object.entries(e.foreignKeys)) {
      if (!a.foreignKeys[f]) out.push(`${table}: foreign key ${f} missing`);
      else if (!same(ef, a.foreignKeys[f])) out.push(`${table}: foreign key ${f} is ${JSON.stringify(a.foreignKeys[f])}, schema says ${JSON.stringify(ef)}`);
    }
  }
  return out;
}
