import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import mysql from 'mysql2/promise';
import { createTestStack, TestStack } from '../../../test/harness';
import { CouponModule } from '../../../apps/coupon/src/coupon.module';

// Nothing secret leaks: the token key, the tokens a client sends and the database password never
// appear in the app's logs, its error answers, /health, /metrics or /docs-json — also when the
// tokens are refused. The app runs with its real logger (debug level) and a database user with a
// password, on this stack's database.
describe('secrets stay secret (real MySQL + Kafka)', () => {
  let stack: TestStack;
  let url: string;
  const written: string[] = [];
  const restore: (() => void)[] = [];
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const user = `leak_${randomBytes(4).toString('hex')}`;

  const capture = (stream: NodeJS.WriteStream) => {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  };

  beforeAll(async () => {
    stack = await createTestStack('secrets');
    const admin = await mysql.createConnection(stack.databaseUrl);
    const database = new URL(stack.databaseUrl).pathname.slice(1);
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await admin.query(`GRANT ALL ON \`${database}\`.* TO '${user}'@'%'`);
    await admin.end();
    const withPassword = new URL(stack.databaseUrl);
    withPassword.username = user;
    withPassword.password = password;
    capture(process.stdout);
    capture(process.stderr);
    url = (await stack.start('coupon', CouponModule, { logger: undefined, env: { DATABASE_URL: withPassword.toString(), LOG_LEVEL: 'debug' } })).url;
  });
  afterAll(async () => {
    restore.forEach((r) => r());
    await stack?.close();
    const admin = await mysql.createConnection(stack.databaseUrl);
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.end();
  });

  it('logs, answers, /health, /metrics and /docs-json never contain the key, a token or the database password', async () => {
    const secret = stack.env.AUTH_JWT_SECRET!;
    const sign = (key: string, expiresIn: number, roles = ['user']) =>
      jwt.sign({ roles }, key, { algorithm: 'HS256', issuer: 'commerce-events', audience: 'commerce-events', subject: '1', expiresIn });
    const tokens = {
      valid: stack.token(1),
      operator: stack.operatorToken,
      expired: sign(secret, -60),
      foreign: sign(randomBytes(32).toString('hex'), 60),
      garbage: `not.a.token-${randomBytes(8).toString('hex')}`,
    };
    const bodies: string[] = [];
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      bodies.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
      return res.status;
    };
    for (const token of Object.values(tokens)) {
      await call('POST', '/coupons/1/claims', token, {});
      await call('GET', '/ops/dead-letters', token);
      await call('POST', '/vendors', token, { name: 'v' });
    }
    await call('POST', '/coupons/1/claims', tokens.valid, { userId: 1 });
    await call('POST', '/auth/dev-tokens', undefined, { subjects: ['bad subject!'] });
    expect(await call('GET', '/health')).toBe(200);
    await call('GET', '/metrics');
    await call('GET', '/docs-json');

    const seen = [...written, ...bodies].join('\n');
    expect(written.length).toBeGreaterThan(10); // the logger did write
    const secrets = { key: secret, password, ...tokens };
    const leaked = Object.entries(secrets).filter(([, value]) => seen.includes(value)).map(([name]) => name);
    expect(leaked).toEqual([]);
    // nor the parts of a token that carry its signature
    expect(Object.values(tokens).filter((t) => t.includes('.') && seen.includes(t.split('.').at(-1)!))).toEqual([]);
  });
});
