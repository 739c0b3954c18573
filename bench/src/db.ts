import { createPool, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

/** A value bound to a placeholder: rows of values for `VALUES ?`, lists for `IN (?)`. */
export type Param = string | number | bigint | boolean | Date | null | Param[];

/**
 * The bench's own connection to its database (mysql2, a pool of `size`, as the apps' pool):
 * reading facts, seeding, and the raw limits.
 */
export class Db {
  readonly pool: Pool;

  constructor(url: string, size: number) {
    this.pool = createPool({
      uri: url,
      connectionLimit: size,
      supportBigNumbers: true,
      bigNumberStrings: false,
      dateStrings: false,
    });
  }

  /** Rows of a SELECT, typed by the caller (who knows the columns it asked for). */
  async rows<T>(sql: string, params: Param[] = []): Promise<T[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(sql, params);
    return rows as T[];
  }

  /** The first row of a SELECT; throws when there is none. */
  async row<T>(sql: string, params: Param[] = []): Promise<T> {
    const [first] = await this.rows<T>(sql, params);
    if (first === undefined) throw new Error(`no row: ${sql}`);
    return first;
  }

  /** A statement that changes rows; returns how many. */
  async exec(sql: string, params: Param[] = []): Promise<number> {
    const [result] = await this.pool.query(sql, params);
    return 'affectedRows' in result ? result.affectedRows : 0;
  }

  /** Runs `work` in one transaction on one connection (rolled back if it throws). */
  async transaction<R>(work: (conn: PoolConnection) => Promise<R>): Promise<R> {
    const conn = await this.pool.getConnection();
    try {
      await conn.query('BEGIN');
      const result = await work(conn);
      await conn.query('COMMIT');
      return result;
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
