import { checksum, type MigrationRow, parseMysqlUrl, planMigrations, sortMigrationNames } from './migrations';

describe('parseMysqlUrl', () => {
  it('reads user, password, host, port and database, decoding escapes', () => {
    expect(parseMysqlUrl('mysql://app:p%40ss@db.local:3307/commerce')).toEqual({
      host: 'db.local',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'commerce',
    });
  });

  it('defaults the port to 3306 and the password to empty', () => {
    expect(parseMysqlUrl('mysql://root@127.0.0.1/commerce')).toMatchObject({ port: 3306, password: '', user: 'root' });
  });

  it.each([
    ['postgres://root@127.0.0.1/commerce', /mysql:\/\//],
    ['mysql://root@127.0.0.1:3306/', /name a database/],
    ['mysql://root@127.0.0.1:3306/bad`name', /name a database/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, message) => {
    expect(() => parseMysqlUrl(url)).toThrow(message);
  });
});

describe('checksum', () => {
  it('is the lowercase sha256 hex of the bytes, as Prisma stores it', () => {
    expect(checksum('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(checksum(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('changes when a single byte changes (CRLF vs LF counts)', () => {
    expect(checksum('SELECT 1;\n')).not.toBe(checksum('SELECT 1;\r\n'));
  });
});

describe('sortMigrationNames', () => {
  it('orders by name (timestamp prefix) by code unit, not by locale', () => {
    expect(sortMigrationNames(['20261124000000_b', '20261123000000_init', '20261123000000_Init', '2026112300000_x'])).toEqual([
      '20261123000000_Init',
      '20261123000000_init',
      '2026112300000_x', // a malformed prefix sorts where bytes put it, as in Prisma
      '20261124000000_b',
    ]);
  });
});

describe('planMigrations', () => {
  const local = [
    { name: '1_init', checksum: 'aaa' },
    { name: '2_more', checksum: 'bbb' },
  ];
  const row = (name: string, sum: string, finished = true, rolledBack = false): MigrationRow => ({
    migration_name: name,
    checksum: sum,
    finished_at: finished ? new Date() : null,
    rolled_back_at: rolledBack ? new Date() : null,
  });

  it('applies everything on an empty history, in order', () => {
    expect(planMigrations([...local].reverse(), [])).toEqual({ pending: ['1_init', '2_more'], unknown: [] });
  });

  it('skips applied migrations and reports recorded ones missing locally', () => {
    expect(planMigrations(local, [row('1_init', 'aaa'), row('0_gone', 'zzz')])).toEqual({
      pending: ['2_more'],
      unknown: ['0_gone'],
    });
  });

  it('refuses a modified migration', () => {
    expect(() => planMigrations(local, [row('1_init', 'changed')])).toThrow(/1_init was modified.*changed.*aaa/);
  });

  it('refuses while a migration is recorded as failed', () => {
    expect(() => planMigrations(local, [row('1_init', 'aaa', false)])).toThrow(/1_init failed earlier/);
  });

  it('re-applies a migration that was marked rolled back (and ignores its old checksum)', () => {
    expect(planMigrations(local, [row('1_init', 'old', false, true), row('2_more', 'bbb')]).pending).toEqual(['1_init']);
  });
});
