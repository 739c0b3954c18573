export interface MysqlConnection {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

/** mysql://user[:password]@host[:port]/database — the one URL format DATABASE_URL takes. */
export function parseMysqlUrl(url: string): MysqlConnection {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^(mysql|mariadb):$/.test(u.protocol) || !database) {
    throw new Error(`DATABASE_URL must look like mysql://user:password@host:3306/database, got ${url}`);
  }
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username) || 'root',
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
  };
}

/** The same URL pointing at another database (tests use one database per run). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
