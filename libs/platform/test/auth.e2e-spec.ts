// Who may call what (README, Security), on every operation of every app and of the console, as their /docs
// describe them: an operation marked with the bearer scheme refuses a request without a token, with
// an expired one and with one of another key (401), refuses the wrong role (403) and lets the right
// one reach its handler; an operation not marked answers anyone. The policy is written out below, on
// its own, so /docs and the guards are both checked against it; a new route without a line here fails.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { APP_NAMES, AppName } from '@app/config';
import { Envelope, Topic } from '@app/events';
import { topicName } from '@app/kafka';
import { readTopic } from '@app/kafka/ops/read-topic';
import { Role, TokenService } from '@app/platform';
import { runConsole, RunningConsole } from '../../../apps/console/src/run-console';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { consoleEnvOf, MODULES } from './whole-stack';

type Server = AppName | 'console';
const SERVERS: readonly Server[] = [...APP_NAMES, 'console'];

/** What the tests create first, so that the calls below reach real rows. */
interface Fixtures {
  /** A coupon user, the one whose token the "user" calls carry; owns `order`, `claim` and a coupon. */
  user: number;
  /** Another coupon user. */
  other: number;
  vendorId: number;
  /** A coupon `user` holds (claimed synchronously: `claim`). */
  couponId: number;
  /** A coupon nobody claimed yet, for the claim calls. */
  freshCouponId: number;
  claim: string;
  order: string;
}

interface Request {
  path: string;
  body?: unknown;
}

/** operator: an operator's token only; user: a user's only; any: any valid token. */
type Access = 'operator' | 'user' | 'any';

interface Rule {
  access: Access;
  /** A request the right role may send, with real ids, so that it reaches the handler. */
  request: (f: Fixtures) => Request;
}

const rule =
  (access: Access) =>
  (request: (f: Fixtures) => Request | string): Rule => ({
    access,
    request: (f) => {
      const r = request(f);
      return typeof r === 'string' ? { path: r } : r;
    },
  });
const operator = rule('operator');
const user = rule('user');
const any = rule('any');

/** Every operation that needs a bearer token, by server and `METHOD /docs/path`. */
const SECURED: Record<Server, Record<string, Rule>> = {
  order: {
    'POST /orders': any(() => ({ path: '/orders', body: { kind: 'apple', count: 1 } })),
    'GET /orders': any(() => '/orders?limit=5'),
    'GET /orders/{id}': any((f) => `/orders/${f.order}`),
  },
  stock: {
    'PUT /stock/{sku}': operator(() => ({ path: '/stock/auth-check', body: { available: 5, price: 100 } })),
  },
  payment: { 'GET /payments': operator((f) => `/payments?orderId=${f.order}`) },
  shipment: { 'GET /shipments': operator((f) => `/shipments?orderId=${f.order}`) },
  notification: {
    'GET /notifications': operator((f) => `/notifications?orderId=${f.order}`),
    'GET /notifications/stream': operator((f) => `/notifications/stream?orderId=${f.order}`),
  },
  coupon: {
    'POST /vendors': operator(() => ({ path: '/vendors', body: { name: 'auth-check' } })),
    'POST /vendors/random': operator(() => '/vendors/random'),
    'GET /vendors/{id}': operator((f) => `/vendors/${f.vendorId}`),
    'GET /vendors/{id}/settlement': operator((f) => `/vendors/${f.vendorId}/settlement`),
    'POST /coupons': operator((f) => ({ path: '/coupons', body: { type: 'AUTH', value: 10, total: 5, vendorId: f.vendorId } })),
    'POST /coupons/random': operator((f) => ({ path: '/coupons/random', body: { vendorId: f.vendorId } })),
    'GET /coupons/{id}/audit': operator((f) => `/coupons/${f.couponId}/audit`),
    'GET /ops/consumer-groups': operator(() => '/ops/consumer-groups'),
    'GET /ops/dead-letters': operator(() => '/ops/dead-letters'),
    'POST /ops/dead-letters/replay': operator(() => ({ path: '/ops/dead-letters/replay', body: { dryRun: true } })),
    'POST /coupons/{id}/claims': user((f) => `/coupons/${f.freshCouponId}/claims`),
    'POST /coupons/{id}/claims/async': user((f) => `/coupons/${f.freshCouponId}/claims/async`),
    'GET /users/{id}/coupons': any((f) => `/users/${f.user}/coupons`),
    'GET /claims/{claimId}': any((f) => `/claims/${f.claim}`),
  },
  console: {
    'POST /api/races': operator((f) => ({ path: '/api/races', body: { couponId: f.couponId, users: 1, path: 'sync' } })),
  },
};

/** Every app's own public routes. */
const PLATFORM_PUBLIC: Record<string, (f: Fixtures) => Request | string> = {
  'GET /health': () => '/health',
  'GET /metrics': () => '/metrics',
  'POST /auth/dev-tokens': () => ({ path: '/auth/dev-tokens', body: { subjects: ['anyone'] } }),
};

/** Every operation anyone may call, by server; `* /path` stands for every method of the path. */
const PUBLIC: Record<Server, Record<string, (f: Fixtures) => Request | string>> = {
  order: PLATFORM_PUBLIC,
  stock: { ...PLATFORM_PUBLIC, 'GET /stock': () => '/stock', 'GET /stock/{sku}': () => '/stock/apple' },
  payment: PLATFORM_PUBLIC,
  shipment: PLATFORM_PUBLIC,
  notification: PLATFORM_PUBLIC,
  coupon: {
    ...PLATFORM_PUBLIC,
    'POST /users': () => ({ path: '/users', body: { name: 'auth-check' } }),
    'POST /users/random': () => '/users/random',
    'GET /coupons/{id}': (f) => `/coupons/${f.couponId}`,
  },
  // the console grants nothing itself: it forwards the caller's token and the service decides
  console: {
    'GET /': () => '/',
    'GET /console.js': () => '/console.js',
    'GET /console.css': () => '/console.css',
    'GET /health': () => '/health',
    'GET /api/services': () => '/api/services',
    'GET /api/races/latest': () => '/api/races/latest',
    'GET /api/races/stream': () => '/api/races/stream',
    '* /api/{service}/{path}': () => '/api/stock/stock',
  },
};

interface Operation {
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
}
interface Docs {
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

/** `METHOD /path` of each operation of a document, with the operation. */
const operationsOf = (doc: Docs): [string, Operation][] =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]));
const needsBearer = (op: Operation) => op.security?.some((s) => 'bearer' in s) ?? false;

interface Answer {
  status: number;
  code?: string;
}

/** One request; a stream is cancelled as soon as its status is known. */
async function send(base: string, method: string, { path, body }: Request, token?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status };
  }
  const text = await res.text();
  const code = res.headers.get('content-type')?.includes('json') && text ? (JSON.parse(text) as { code?: string }).code : undefined;
  return { status: res.status, code };
}

const ISSUER = 'commerce-events';

describe('authentication and roles on every operation of every app and the console (real MySQL + Kafka)', () => {
  let stack: TestStack;
  let consoleApp: RunningConsole;
  let fixtures: Fixtures;
  const urls = {} as Record<Server, string>;
  const docs = {} as Record<Server, Docs>;

  // Tokens that are wrong in exactly one way: the subject and roles are right.
  const expired = (subject: string, roles: Role[]) =>
    jwt.sign({ roles }, stack.env.AUTH_JWT_SECRET!, { algorithm: 'HS256', issuer: ISSUER, audience: ISSUER, subject, expiresIn: -60 });
  const otherKey = new TokenService(randomBytes(32).toString('base64url'), 3600);
  const foreign = (subject: string, roles: Role[]) => otherKey.sign({ subject, roles }).token;

  /** The subject and roles a call of this access is made with: the fixtures' user, or the operator. */
  const principalFor = (access: Access): { subject: string; roles: Role[] } =>
    access === 'operator' ? { subject: 'test-operator', roles: ['operator'] } : { subject: String(fixtures.user), roles: ['user'] };

  /** Calls each operation of `server` its docs mark as needing a token; the problems found, each naming its operation. */
  async function eachSecured(server: Server, check: (name: string, method: string, r: Rule, op: Operation) => Promise<string | undefined>): Promise<string[]> {
    const problems: string[] = [];
    for (const [name, op] of operationsOf(docs[server]).filter(([, o]) => needsBearer(o))) {
      const r = SECURED[server][name];
      if (!r) problems.push(`${server} ${name}: needs a token, but the policy of this test does not name it (add it to SECURED)`);
      else {
        const problem = await check(name, name.split(' ')[0], r, op);
        if (problem) problems.push(`${server} ${name}: ${problem}`);
      }
    }
    return problems;
  }

  /** `undefined` when the answer is `status code`, else what it was. */
  const expectAnswer = (what: string, got: Answer, status: number, code: string) =>
    got.status === status && got.code === code ? undefined : `${what} answered ${got.status} ${got.code ?? ''}, not ${status} ${code}`;

  /** The JSON answer of a request that must answer `status`. */
  const must = async <T>(server: Server, method: string, request: Request, status: number, token?: string): Promise<T> => {
    const headers: Record<string, string> = {};
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(urls[server] + request.path, { method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
    const body = (await res.json()) as T;
    if (res.status !== status) throw new Error(`${method} ${request.path} at ${server} answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };

  beforeAll(async () => {
    stack = await createTestStack('auth');
    for (const name of APP_NAMES) urls[name] = (await stack.start(name, MODULES[name])).url;
    const env = consoleEnvOf(stack, urls);
    // the page's script is only served here, not run: a stand-in spares compiling apps/console/web
    const webDir = mkdtempSync(join(tmpdir(), 'auth-console-web-'));
    writeFileSync(join(webDir, 'console.js'), '// stand-in\n');
    consoleApp = await runConsole(env, { port: 0, webDir, logger: false });
    urls.console = consoleApp.url;
    for (const server of SERVERS) docs[server] = (await (await fetch(`${urls[server]}/docs-json`)).json()) as Docs;

    const op = stack.operatorToken;
    const [owner, other] = [await must<{ id: number }>('coupon', 'POST', { path: '/users/random' }, 201), await must<{ id: number }>('coupon', 'POST', { path: '/users/random' }, 201)];
    const vendor = await must<{ id: number }>('coupon', 'POST', { path: '/vendors/random' }, 201, op);
    const coupon = (total: number) => must<{ id: number }>('coupon', 'POST', { path: '/coupons', body: { type: 'AUTH', value: 10, total, vendorId: vendor.id } }, 201, op);
    const [held, fresh] = [await coupon(100), await coupon(100)];
    const claim = await must<{ claimId: string }>('coupon', 'POST', { path: `/coupons/${held.id}/claims` }, 201, stack.token(owner.id));
    const order = await must<{ id: string }>('order', 'POST', { path: '/orders', body: { kind: 'apple', count: 1 } }, 201, stack.token(owner.id));
    fixtures = { user: owner.id, other: other.id, vendorId: vendor.id, couponId: held.id, freshCouponId: fresh.id, claim: claim.claimId, order: order.id };
  });
  afterAll(async () => {
    await consoleApp?.close();
    await stack?.close();
  });

  it.each(SERVERS)("%s: /docs marks exactly the policy's operations as needing a bearer token, each documenting 401 and 403", (server) => {
    const doc = docs[server];
    expect(doc.components?.securitySchemes?.bearer).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const operations = operationsOf(doc);
    const secured = operations.filter(([, op]) => needsBearer(op)).map(([name]) => name);
    expect(secured.sort()).toEqual(Object.keys(SECURED[server]).sort());
    const isPublic = (name: string) => name in PUBLIC[server] || `* ${name.split(' ')[1]}` in PUBLIC[server];
    expect(operations.filter(([, op]) => !needsBearer(op)).map(([name]) => name).filter((name) => !isPublic(name))).toEqual([]);
    const undocumented = operations.filter(([, op]) => needsBearer(op) && !(op.responses?.['401'] && op.responses['403'])).map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it.each(SERVERS)('%s: every operation that needs a token answers 401 without one (AUTH_REQUIRED), with an expired one (TOKEN_EXPIRED), one of another key or a malformed one (TOKEN_INVALID)', async (server) => {
    const problems = await eachSecured(server, async (_name, method, r) => {
      const request = r.request(fixtures);
      const { subject, roles } = principalFor(r.access);
      const cases: [string, string | undefined, string][] = [
        ['without a token', undefined, 'AUTH_REQUIRED'],
        ['with an expired token', expired(subject, roles), 'TOKEN_EXPIRED'],
        ['with a token of another key', foreign(subject, roles), 'TOKEN_INVALID'],
        ['with a malformed token', 'not.a-token', 'TOKEN_INVALID'],
      ];
      const found: string[] = [];
      for (const [what, token, code] of cases) {
        const problem = expectAnswer(what, await send(urls[server], method, request, token), 401, code);
        if (problem) found.push(problem);
      }
      return found.length ? found.join('; ') : undefined;
    });
    expect(problems).toEqual([]);
  });

  it.each(SERVERS)("%s: an operator's operation answers a user 403 FORBIDDEN, a user's operation an operator", async (server) => {
    const problems = await eachSecured(server, async (_name, method, r) => {
      if (r.access === 'any') return undefined;
      const wrong = r.access === 'operator' ? stack.token(fixtures.user) : stack.operatorToken;
      return expectAnswer(`with ${r.access === 'operator' ? "a user's" : "an operator's"} token`, await send(urls[server], method, r.request(fixtures), wrong), 403, 'FORBIDDEN');
    });
    expect(problems).toEqual([]);
  });

  it.each(SERVERS)('%s: with the right role every operation reaches its handler: neither 401 nor 403, and a status it documents', async (server) => {
    const problems = await eachSecured(server, async (_name, method, r, op) => {
      const tokens: [string, string][] = [];
      if (r.access !== 'operator') tokens.push(["the user's token", stack.token(fixtures.user)]);
      if (r.access !== 'user') tokens.push(["the operator's token", stack.operatorToken]);
      const found: string[] = [];
      for (const [what, token] of tokens) {
        const got = await send(urls[server], method, r.request(fixtures), token);
        if (got.status === 401 || got.status === 403 || !op.responses?.[String(got.status)]) found.push(`with ${what} answered ${got.status} ${got.code ?? ''}`);
      }
      return found.length ? found.join('; ') : undefined;
    });
    expect(problems).toEqual([]);
  });

  it.each(SERVERS)('%s: every public operation answers without a token, and refuses a token of another key rather than ignore it', async (server) => {
    const problems: string[] = [];
    for (const [name, op] of operationsOf(docs[server]).filter(([, o]) => !needsBearer(o))) {
      const [method, path] = name.split(' ');
      const make = PUBLIC[server][name] ?? PUBLIC[server][`* ${path}`];
      if (!make) {
        problems.push(`${server} ${name}: public, but the policy of this test does not name it (add it to PUBLIC)`);
        continue;
      }
      const made = make(fixtures);
      const request = typeof made === 'string' ? { path: made } : made;
      const anonymous = await send(urls[server], method, request);
      if (anonymous.status === 401 || anonymous.status === 403 || !(op.responses?.[String(anonymous.status)] ?? op.responses?.default)) {
        problems.push(`${server} ${name}: without a token answered ${anonymous.status} ${anonymous.code ?? ''}`);
      }
      const bad = await send(urls[server], method, request, foreign('anyone', ['user']));
      // a HEAD answer has no body to name its code
      if (bad.status !== 401 || (method !== 'HEAD' && bad.code !== 'TOKEN_INVALID')) problems.push(`${server} ${name}: with a token of another key answered ${bad.status} ${bad.code ?? ''}`);
    }
    expect(problems).toEqual([]);
  });

  describe('identity comes from the token', () => {
    const userToken = () => stack.token(fixtures.user);

    it("a claim's user is the token's subject: a body naming a user is refused 400 on both paths, and nothing is written", async () => {
      const before = await stack.prisma.claim.count();
      for (const path of [`/coupons/${fixtures.freshCouponId}/claims`, `/coupons/${fixtures.freshCouponId}/claims/async`]) {
        for (const body of [{ userId: fixtures.user }, { userId: fixtures.other }]) {
          const got = await send(urls.coupon, 'POST', { path, body }, userToken());
          expect({ path, body, ...got }).toEqual({ path, body, status: 400, code: 'VALIDATION_FAILED' });
        }
      }
      expect(await stack.prisma.claim.count()).toBe(before);
    });

    it("a user cannot read another user's coupons (403), order or orders (404, 403) or claim (404); the operator can", async () => {
      const other = stack.token(fixtures.other);
      const cases: [Server, string, string | undefined, number, string | undefined][] = [
        ['coupon', `/users/${fixtures.user}/coupons`, other, 403, 'FORBIDDEN'],
        ['coupon', `/claims/${fixtures.claim}`, other, 404, 'CLAIM_NOT_FOUND'],
        ['order', `/orders/${fixtures.order}`, other, 404, 'ORDER_NOT_FOUND'],
        ['order', `/orders?userId=${fixtures.user}`, other, 403, 'FORBIDDEN'],
        ['coupon', `/users/${fixtures.user}/coupons`, stack.operatorToken, 200, undefined],
        ['coupon', `/claims/${fixtures.claim}`, stack.operatorToken, 200, undefined],
        ['order', `/orders/${fixtures.order}`, stack.operatorToken, 200, undefined],
        ['order', `/orders?userId=${fixtures.user}`, stack.operatorToken, 200, undefined],
      ];
      for (const [server, path, token, status, code] of cases) {
        const who = token === other ? 'another user' : 'the operator';
        expect({ server, path, who, ...(await send(urls[server], 'GET', { path }, token)) }).toEqual({ server, path, who, status, code });
      }
      // the other user's own list holds none of the user's orders
      const own = await must<{ items: { userId: string }[] }>('order', 'GET', { path: '/orders?limit=100' }, 200, other);
      expect(own.items.filter((o) => o.userId !== String(fixtures.other))).toEqual([]);
    });

    it("the events of a user's order name that user as their actor, along the saga", async () => {
      const { order, user } = fixtures;
      await eventually('the order completed', async () => {
        const o = await must<{ status: string }>('order', 'GET', { path: `/orders/${order}` }, 200, stack.token(user));
        return o.status === 'COMPLETED' ? o : undefined;
      });
      for (const topic of [Topic.OrderCreated, Topic.ShipmentCompleted]) {
        const envelopes = (await readTopic(stack.kafka, topicName(stack.topicPrefix, topic), { timeoutMs: 20_000 })).map((m) => JSON.parse(m.value!.toString()) as Envelope);
        const ofOrder = envelopes.filter((e) => (e.payload as { orderId?: string }).orderId === order);
        expect({ topic, actors: ofOrder.map((e) => e.actor) }).toEqual({ topic, actors: [String(user)] });
      }
    });
  });

  describe('POST /auth/dev-tokens (the demo sign-in)', () => {
    const verifier = () => new TokenService(stack.env.AUTH_JWT_SECRET!, 60);

    it.each(APP_NAMES)('%s issues one token per subject, signed with the shared key, that the other apps accept', async (name) => {
      const issued = await must<{ tokens: string[]; expiresAt: string }>(name, 'POST', { path: '/auth/dev-tokens', body: { subjects: ['ops-1', '42'], roles: ['operator'] } }, 200);
      expect(issued.tokens.map((t) => verifier().verify(t))).toEqual([
        { subject: 'ops-1', roles: ['operator'] },
        { subject: '42', roles: ['operator'] },
      ]);
      expect(Date.parse(issued.expiresAt)).toBeGreaterThan(Date.now());
      const [asUser] = (await must<{ tokens: string[] }>(name, 'POST', { path: '/auth/dev-tokens', body: { subjects: [String(fixtures.user)] } }, 200)).tokens;
      expect(verifier().verify(asUser)).toEqual({ subject: String(fixtures.user), roles: ['user'] });
      // accepted where the role is needed, at another app
      expect((await send(urls.payment, 'GET', { path: `/payments?orderId=${fixtures.order}` }, issued.tokens[0])).status).toBe(200);
      expect((await send(urls.coupon, 'GET', { path: `/users/${fixtures.user}/coupons` }, asUser)).status).toBe(200);
    });

    it.each([
      ['a subject with spaces', { subjects: ['not ok'] }],
      ['an empty subject', { subjects: [''] }],
      ['a subject of 65 characters', { subjects: ['s'.repeat(65)] }],
      ['no subject', { subjects: [] }],
      ['an unknown role', { subjects: ['a'], roles: ['root'] }],
      ['an unknown field', { subjects: ['a'], sub: 'a' }],
    ])('answers 400 VALIDATION_FAILED for %s, issuing nothing', async (_what, body) => {
      const got = await send(urls.order, 'POST', { path: '/auth/dev-tokens', body });
      expect(got).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });

    it('is not served with AUTH_DEV_TOKENS=off', async () => {
      const app = await stack.start('stock', MODULES.stock, { consume: false, env: { AUTH_DEV_TOKENS: 'off' } });
      expect(await send(app.url, 'POST', { path: '/auth/dev-tokens', body: { subjects: ['a'] } })).toEqual({ status: 404, code: 'ROUTE_NOT_FOUND' });
      await app.close();
    });
  });
});
