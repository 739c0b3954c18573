import { loadEnv } from '@app/config';
import { BENCH_CLAIM_RATE_PER_IP, benchConfig, databaseHost, FULL_COUNTS, parseArgs, SMOKE_COUNTS } from './config';

const RESULTS = '/repo/bench/results';

describe('parseArgs', () => {
  it('gives the full run with no flags, into bench/results', () => {
    const o = parseArgs([], RESULTS);
    expect(o).toMatchObject({
      smoke: false,
      only: undefined,
      profile: false,
      setup: true,
      keepDb: false,
      out: RESULTS,
      defaultOut: true,
      basePort: 13_000,
    });
    expect(o.counts).toEqual(FULL_COUNTS);
  });

  it('reads every flag', () => {
    const o = parseArgs(
      [
        '--smoke',
        '--reps',
        '2',
        '--set',
        'drain=50,conns=4',
        '--out',
        '/tmp/x',
        '--port',
        '20000',
        '--no-setup',
        '--keep-db',
        '--profile',
        '--only',
        'saga',
      ],
      RESULTS,
    );
    expect(o).toMatchObject({
      smoke: true,
      only: 'saga',
      profile: true,
      setup: false,
      keepDb: true,
      out: '/tmp/x',
      defaultOut: false,
      basePort: 20_000,
    });
    expect(o.counts).toEqual({ ...SMOKE_COUNTS, reps: 2, drain: 50, conns: 4 });
  });

  it('refuses what it does not know rather than ignore it', () => {
    expect(() => parseArgs(['--smoek'], RESULTS)).toThrow('unknown argument --smoek');
    expect(() => parseArgs(['--set', 'drian=5'], RESULTS)).toThrow('unknown count drian');
    expect(() => parseArgs(['--set', 'drain=-5'], RESULTS)).toThrow('positive whole number');
    expect(() => parseArgs(['--only', 'orders'], RESULTS)).toThrow('--only: coupon, saga or flood');
    expect(() => parseArgs(['--out'], RESULTS)).toThrow('--out needs a value');
  });
});

describe('benchConfig', () => {
  it('gives the run its own database, topic prefix, group suffix and ports', () => {
    const c = benchConfig(
      parseArgs(['--port', '30000'], RESULTS),
      '/repo',
      { MARIADB_PORT: '3400' },
      new Date(1_700_000_000_000),
    );
    expect(c.runId).toBe(`b${(1_700_000_000_000).toString(36)}`);
    expect(c.databaseUrl).toBe(`mysql://root@127.0.0.1:3400/bench_${c.runId}`);
    expect(c.localDb).toBe(true);
    expect(c.env).toMatchObject({
      KAFKA_TOPIC_PREFIX: `${c.runId}.`,
      KAFKA_GROUP_SUFFIX: `-${c.runId}`,
      COUPON_PORT: '30006',
      ORDER_PORT: '30001',
      DATABASE_POOL_SIZE: '10',
      AUTH_JWT_SECRET: c.authSecret,
    });
    // a key of its own each run, long enough for the apps (at least 32 characters)
    expect(c.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(benchConfig(parseArgs([], RESULTS), '/repo', {}).authSecret).not.toBe(c.authSecret);
    expect(c.env.NOOP_PORT).toBeUndefined();
  });

  it('raises the claim limit per address out of the way (all its load is from 127.0.0.1), not the one per user', () => {
    const c = benchConfig(parseArgs([], RESULTS), '/repo', { COUPON_CLAIM_RATE_PER_IP: '50' });
    expect(c.env.COUPON_CLAIM_RATE_PER_IP).toBe('10000000');
    expect(c.env.COUPON_CLAIM_RATE_PER_USER).toBeUndefined();
    // what the coupon app makes of it: the address limit as set (within its range), the user limit its default
    const coupon = loadEnv('coupon', c.env);
    expect(coupon.COUPON_CLAIM_RATE_PER_IP).toBe(BENCH_CLAIM_RATE_PER_IP);
    expect(coupon.COUPON_CLAIM_RATE_PER_USER).toBe(20);
  });

  it('keeps the full claim flood at 10,000 claims from one user, and the smoke one small', () => {
    expect(FULL_COUNTS).toMatchObject({ floodClaims: 10_000, floodConns: 64, floodRate: 200, floodSeconds: 8 });
    expect(SMOKE_COUNTS.floodClaims).toBeLessThan(FULL_COUNTS.floodClaims);
    expect(SMOKE_COUNTS.floodSeconds).toBeLessThan(FULL_COUNTS.floodSeconds);
    expect(parseArgs(['--set', 'floodClaims=500,floodSeconds=3'], RESULTS).counts).toMatchObject({
      floodClaims: 500,
      floodSeconds: 3,
    });
  });

  it('puts its database on BENCH_DATABASE_HOST, else on DATABASE_URL’s server', () => {
    expect(databaseHost({ BENCH_DATABASE_HOST: 'mysql://u@h:1', DATABASE_URL: 'mysql://x@y:2/db' })).toBe(
      'mysql://u@h:1',
    );
    expect(databaseHost({ DATABASE_URL: 'mysql://x@y:2/db' })).toBe('mysql://x@y:2');
  });
});
