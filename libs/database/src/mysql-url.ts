export { parseMysqlUrl } from './migrate/migrations';
export type { MysqlTarget } from './migrate/migrations';

/** The same URL pointing at another database (tests use one database per suite). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
