import { ConfigError, loadEnv } from './load-env';

const KEY = 'k'.repeat(32);

describe('loadEnv', () => {
  it('applies local defaults when nothing is set', () => {
    const env = loadEnv('coupon', { AUTH_JWT_SECRET: KEY });
    expect(env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(env.DATABASE_URL).toBe('mysql://root@127.0.0.1:3307/commerce');
    expect(env.COUPON_PORT).toBe(3006);
    expect(env.COUPON_CONSUMER_CONCURRENCY).toBe(3);
  });

  it('parses a broker list and numeric settings', () => {
    const env = loadEnv('payment', { AUTH_JWT_SECRET: KEY, KAFKA_BROKERS: 'a:9092, b:9093', PAYMENT_LIMIT: '500' });
    expect(env.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(env.PAYMENT_LIMIT).toBe(500);
  });

  it('refuses a bad value with the variable named', () => {
    expect(() => loadEnv('order', { ORDER_PORT: 'abc' })).toThrow(/ORDER_PORT/);
    expect(() => loadEnv('order', { KAFKA_BROKERS: 'no-port' })).toThrow(/KAFKA_BROKERS: expected host:port/);
    expect(() => loadEnv('order', { DATABASE_URL: 'postgres://x/y' })).toThrow(ConfigError);
  });

  it('refuses a misspelled setting instead of silently ignoring it', () => {
    expect(() => loadEnv('coupon', { COUPON_CONSUMER_CONCURENCY: '3' })).toThrow(
      /COUPON_CONSUMER_CONCURENCY: unknown setting/,
    );
  });

  it("leaves docker compose's host port variables to compose", () => {
    expect(loadEnv('order', { AUTH_JWT_SECRET: KEY, ORDER_HOST_PORT: '23001', KAFKA_HOST_PORT: '29092' }).ORDER_PORT).toBe(3001);
  });

  it('accepts a setting that belongs to another app (one shared .env for the stack)', () => {
    expect(loadEnv('order', { AUTH_JWT_SECRET: KEY, PAYMENT_LIMIT: '10' }).ORDER_PORT).toBe(3001);
  });

  it('refuses to start without a token key, or with a short one', () => {
    expect(() => loadEnv('order', {})).toThrow(/AUTH_JWT_SECRET: required/);
    expect(() => loadEnv('order', { AUTH_JWT_SECRET: 'short' })).toThrow(/AUTH_JWT_SECRET: at least 32 characters/);
  });
});
