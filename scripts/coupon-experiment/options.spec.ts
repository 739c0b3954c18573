import { parseOptions } from './options';

describe('parseOptions', () => {
  it('defaults to 1000 users on a cap of 100, both paths, the local coupon app', () => {
    expect(parseOptions([], {})).toEqual({ base: 'http://127.0.0.1:3006', users: 1000, total: 100, mode: 'both' });
    expect(parseOptions([], { COUPON_PORT: '4006' })?.base).toBe('http://127.0.0.1:4006');
  });

  it('reads the flags, the URL before COUPON_URL', () => {
    const argv = ['--users', '50', '--mode', 'kafka', '--total', '10', '--url', 'http://h:1/'];
    expect(parseOptions(argv, { COUPON_URL: 'http://other' })).toEqual({
      base: 'http://h:1',
      users: 50,
      total: 10,
      mode: 'kafka',
    });
    expect(parseOptions([], { COUPON_URL: 'http://other/' })?.base).toBe('http://other');
  });

  it('takes the operator token from --token, else COUPON_OPERATOR_TOKEN (a `Bearer ` prefix dropped); none by default', () => {
    expect(parseOptions([], {})?.token).toBeUndefined();
    expect(parseOptions([], { COUPON_OPERATOR_TOKEN: 'env.tok.en' })?.token).toBe('env.tok.en');
    expect(parseOptions(['--token', 'Bearer flag.tok.en'], { COUPON_OPERATOR_TOKEN: 'env.tok.en' })?.token).toBe('flag.tok.en');
  });

  it('refuses an unknown mode or a count that is not positive', () => {
    expect(parseOptions(['--mode', 'fast'], {})).toBeUndefined();
    expect(parseOptions(['--users', '0'], {})).toBeUndefined();
    expect(parseOptions(['--total', 'x'], {})).toBeUndefined();
  });
});
