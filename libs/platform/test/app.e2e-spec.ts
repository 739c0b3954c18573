import { Body, Controller, Module, Post } from '@nestjs/common';
import { z } from 'zod';
import { APP_NAMES, AppName, ConfigError } from '@app/config';
import { newId } from '@app/events';
import { ErrorBody, HealthReport, runApp, RunningApp } from '@app/platform';
import { CouponModule } from '../../../apps/coupon/src/coupon.module';
import { OrderAccepted } from '../../../apps/order/src/orders/dto/create-order.dto';
import { OrderDetail, OrderPage } from '../../../apps/order/src/orders/dto/list-orders.query';
import { ProductList, ProductView } from '../../../apps/stock/src/stock/dto/stock.dto';
import { PaymentList } from '../../../apps/payment/src/payments/dto/list-payments.query';
import { ShipmentList } from '../../../apps/shipment/src/shipments/dto/list-shipments.query';
import { NotificationList, NotificationView } from '../../../apps/notification/src/notifications/dto/notifications.query';
import { UserView } from '../../../apps/coupon/src/users/dto/create-user.dto';
import { UserCouponsPage } from '../../../apps/coupon/src/users/dto/list-user-coupons.dto';
import { SettlementView, VendorView } from '../../../apps/coupon/src/vendors/dto/vendor.dto';
import { CouponAudit, CouponView } from '../../../apps/coupon/src/coupons/dto/coupon.dto';
import { ClaimAccepted, ClaimView } from '../../../apps/coupon/src/claims/dto/claim-coupon.dto';
import { ConsumerGroupsView } from '../../../apps/coupon/src/ops/consumer-groups.dto';
import { DeadLetterList } from '../../../apps/coupon/src/ops/dead-letters.dto';
import { ReplayResult } from '@app/kafka';
import { runConsole, RunningConsole } from '../../../apps/console/src/run-console';
import { ConsoleController } from '../../../apps/console/src/console.controller';
import { RacesController } from '../../../apps/console/src/races.controller';
import { ConsoleHealth, ServiceStatusList } from '../../../apps/console/src/console.dto';
import { RaceView } from '../../../apps/console/src/races';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { consoleEnvOf, MODULES } from './whole-stack';
import { controllersOf, OpenApiDocument, successOf, undocumented } from './openapi-check';

const Echo = z.object({ n: z.number().int().positive() });
@Controller()
class EchoController {
  @Post('echo')
  echo(@Body({ schema: Echo }) body: z.infer<typeof Echo>) {
    return body;
  }
}
@Module({ controllers: [EchoController] })
class EchoModule {}

// /health answers 503 with its report (HealthReport), not an ErrorBody.
const OWN_ERROR_BODIES = new Set(['GET /health 503']);

/** A request's body, and the bearer token it is sent with (none: anonymous). */
interface Sent {
  body?: unknown;
  token?: string;
}

async function call(base: string, route: string, { body, token }: Sent = {}): Promise<{ status: number; body: unknown }> {
  const [method, path] = route.split(' ');
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/**
 * Calls `route` and checks the answer against the schema /docs shows for it: the status, and a
 * body that parses without losing anything (no field the schema does not document).
 */
async function answer<S extends z.ZodType>(base: string, route: string, status: number, schema: S, sent: Sent = {}): Promise<z.output<S>> {
  const res = await call(base, route, sent);
  expect({ route, status: res.status }).toEqual({ route, status });
  expect(schema.parse(res.body)).toEqual(res.body);
  return res.body as z.output<S>;
}

/** The data of the first server-sent event on `url` after `trigger`, with the event's name. */
async function firstEvent(url: string, trigger: () => Promise<unknown>, token?: string): Promise<{ event?: string; data: unknown }> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  await trigger();
  let text = '';
  try {
    for (;;) {
      const block = text.split('\n\n').find((b, i, all) => i < all.length - 1 && /^data: /m.test(b));
      if (block) {
        const field = (name: string) => block.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1];
        return { event: field('event'), data: JSON.parse(field('data')!) };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`${url} ended before its first event`);
      text += new TextDecoder().decode(value);
    }
  } finally {
    abort.abort();
  }
}

describe('every app as a hybrid Nest app (HTTP + Kafka) on real MySQL and Kafka', () => {
  let stack: TestStack;
  let consoleApp: RunningConsole;
  const urls: Record<string, string> = {};
  const apps = {} as Record<AppName, RunningApp>;
  /** Sent as the operator, or as a user (the coupon app's user ids are numbers). */
  const operator = (body?: unknown): Sent => ({ body, token: stack.operatorToken });
  const asUser = (userId: string | number, body?: unknown): Sent => ({ body, token: stack.token(userId) });

  beforeAll(async () => {
    stack = await createTestStack('platform');
    for (const name of APP_NAMES) {
      apps[name] = await stack.start(name, MODULES[name]);
      urls[name] = apps[name].url;
    }
    const env = consoleEnvOf(stack, urls);
    consoleApp = await runConsole(env, { port: 0, logger: false });
  });
  afterAll(async () => {
    await consoleApp?.close();
    await stack?.close();
  });

  it.each(APP_NAMES)('%s serves /health (200, every part up), /docs and /metrics', async (name) => {
    const health = await answer(urls[name], 'GET /health', 200, HealthReport);
    expect(health).toEqual({
      status: 'ok',
      db: { status: 'up' },
      broker: { status: 'up' },
      producer: { status: 'up' },
      outbox: { status: 'up', oldestPendingMs: null },
      consumer: { status: 'up', state: 'joined', pausedPartitions: 0 },
    });
    const docs = await fetch(`${urls[name]}/docs-json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { info: { title: string } }).info.title).toBe(`${name} service`);
    expect((await fetch(`${urls[name]}/docs`)).status).toBe(200);
    const metrics = await (await fetch(`${urls[name]}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds');
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  it('answers 503 naming the database when it cannot reach it', async () => {
    const app = await stack.start('order', MODULES.order, {
      env: { DATABASE_URL: 'mysql://root@127.0.0.1:1/nowhere' },
      consume: false,
    });
    const health = await answer(app.url, 'GET /health', 503, HealthReport);
    expect(health).toEqual({
      status: 'down',
      db: { status: 'down', reason: expect.any(String) },
      broker: { status: 'up' },
      producer: { status: 'up' },
      outbox: { status: 'down', reason: expect.any(String), oldestPendingMs: null },
    });
  });

  it('refuses to start on a bad setting, naming it', async () => {
    await expect(runApp('coupon', CouponModule, { env: { ...stack.env, COUPON_CONSUMER_CONCURRENCY: '0' }, logger: false })).rejects.toThrow(ConfigError);
    await expect(runApp('order', MODULES.order, { env: { ...stack.env, KAFKA_BROKER: 'x:1' }, logger: false })).rejects.toThrow(
      /KAFKA_BROKER: unknown setting/,
    );
  });

  it('maps bad HTTP input to 4xx with stable codes', async () => {
    const app = await stack.start('shipment', EchoModule, { consume: false });
    // not @Public(): a route needs a token like any other
    const post = (body: string, type = 'application/json') =>
      fetch(`${app.url}/echo`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${stack.token('u-1')}` }, body });
    const malformed = await post('{oops');
    expect(malformed.status).toBe(400);
    expect(ErrorBody.parse(await malformed.json()).code).toBe('MALFORMED_JSON');
    const invalid = await post(JSON.stringify({ n: -1 }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'n' }] });
    const huge = await post(JSON.stringify({ n: 1, pad: 'x'.repeat(100_000) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await post(JSON.stringify({ n: 2 }))).status).toBe(201);
    const missing = await fetch(`${app.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
    const anonymous = await fetch(`${app.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 2 }) });
    expect(anonymous.status).toBe(401);
    expect(ErrorBody.parse(await anonymous.json()).code).toBe('AUTH_REQUIRED');
  });

  it.each(APP_NAMES)('%s documents every operation: the status it answers on success with a schema, each error an ErrorBody', async (name) => {
    const doc = (await (await fetch(`${urls[name]}/docs-json`)).json()) as OpenApiDocument;
    const problems = undocumented(doc, successOf(controllersOf(apps[name].app)), { ownErrorBodies: OWN_ERROR_BODIES });
    expect(problems).toEqual([]);
  });

  it('the console documents every operation too, its forwarding as a passthrough', async () => {
    const doc = (await (await fetch(`${consoleApp.url}/docs-json`)).json()) as OpenApiDocument & { info: { title: string } };
    expect(doc.info.title).toBe('console');
    expect((await fetch(`${consoleApp.url}/docs`)).status).toBe(200);
    const passthrough = (path: string) => path.startsWith('/api/{service}/');
    expect(Object.keys(doc.paths).some(passthrough)).toBe(true);
    expect(undocumented(doc, successOf([ConsoleController, RacesController]), { passthrough })).toEqual([]);
  });

  it('order, stock, payment, shipment and notification answer what they document (one order through the saga)', async () => {
    await answer(urls.stock, 'GET /stock', 200, ProductList);
    await answer(urls.stock, 'GET /stock/apple', 200, ProductView);
    await answer(urls.stock, 'PUT /stock/docs-check', 200, ProductView, operator({ available: 5, price: 100 }));
    let orderId = '';
    const created = await firstEvent(
      `${urls.notification}/notifications/stream`,
      async () => {
        ({ id: orderId } = await answer(urls.order, 'POST /orders', 201, OrderAccepted, asUser('docs-user', { kind: 'apple', count: 1 })));
      },
      stack.operatorToken,
    );
    expect(created.event).toBe('notification');
    expect(NotificationView.parse(created.data)).toEqual(created.data);
    await eventually('the order completed', async () => {
      const order = await answer(urls.order, `GET /orders/${orderId}`, 200, OrderDetail, asUser('docs-user'));
      return order.status === 'COMPLETED' ? order : undefined;
    });
    expect((await answer(urls.order, 'GET /orders?limit=5', 200, OrderPage, asUser('docs-user'))).items.map((o) => o.id)).toContain(orderId);
    expect(await answer(urls.payment, `GET /payments?orderId=${orderId}`, 200, PaymentList, operator())).toHaveLength(1);
    expect(await answer(urls.shipment, `GET /shipments?orderId=${orderId}`, 200, ShipmentList, operator())).toHaveLength(1);
    await eventually('every step notified', async () => {
      const timeline = await answer(urls.notification, `GET /notifications?orderId=${orderId}`, 200, NotificationList, operator());
      return timeline.length >= 4 ? timeline : undefined;
    });
    const errorCode = async (url: string, route: string, status: number, sent?: Sent) => (await answer(url, route, status, ErrorBody, sent)).code;
    expect(await errorCode(urls.order, `GET /orders/${newId()}`, 404, asUser('docs-user'))).toBe('ORDER_NOT_FOUND');
    expect(await errorCode(urls.stock, 'GET /stock/no-such-sku', 404)).toBe('PRODUCT_NOT_FOUND');
    expect(await errorCode(urls.payment, 'GET /payments', 400, operator())).toBe('VALIDATION_FAILED');
    expect(await errorCode(urls.notification, 'GET /notifications/stream?orderId=nope', 400, operator())).toBe('VALIDATION_FAILED');
    expect(await errorCode(urls.payment, `GET /payments?orderId=${orderId}`, 401)).toBe('AUTH_REQUIRED');
    expect(await errorCode(urls.payment, `GET /payments?orderId=${orderId}`, 403, asUser('docs-user'))).toBe('FORBIDDEN');
  });

  it('coupon answers what it documents', async () => {
    const base = urls.coupon;
    const user = await answer(base, 'POST /users/random', 201, UserView);
    await answer(base, 'POST /users', 201, UserView, { body: { name: 'docs-check' } });
    const vendor = await answer(base, 'POST /vendors/random', 201, VendorView, operator());
    const coupon = await answer(base, 'POST /coupons', 201, CouponView, operator({ type: 'WELCOME', value: 500, total: 2, vendorId: vendor.id }));
    await answer(base, 'POST /coupons/random', 201, CouponView, operator({ vendorId: vendor.id }));
    // a claim (an endpoint of its own, not documented yet) gives the views below something to show;
    // the claiming user is the token's subject
    const claim = await answer(base, `POST /coupons/${coupon.id}/claims`, 201, ClaimAccepted, asUser(user.id));
    expect(await answer(base, `GET /claims/${claim.claimId}`, 200, ClaimView, asUser(user.id))).toMatchObject({ status: 'ISSUED', path: 'SYNC' });
    const queued = await answer(base, `POST /coupons/${coupon.id}/claims/async`, 202, ClaimAccepted, asUser(user.id, {}));
    expect(queued.status).toBe('PENDING');
    expect((await answer(base, `POST /coupons/${coupon.id}/claims`, 409, ErrorBody, asUser(user.id))).code).toBe('COUPON_ALREADY_CLAIMED');
    expect(await answer(base, `GET /coupons/${coupon.id}`, 200, CouponView)).toMatchObject({ issued: 1, remaining: 1 });
    await answer(base, `GET /coupons/${coupon.id}/audit`, 200, CouponAudit, operator());
    await answer(base, `GET /vendors/${vendor.id}`, 200, VendorView, operator());
    await answer(base, `GET /vendors/${vendor.id}/settlement`, 200, SettlementView, operator());
    expect((await answer(base, `GET /users/${user.id}/coupons`, 200, UserCouponsPage, asUser(user.id))).items).toHaveLength(1);
    await answer(base, 'GET /ops/consumer-groups', 200, ConsumerGroupsView, operator());
    await answer(base, 'GET /ops/dead-letters', 200, DeadLetterList, operator());
    await answer(base, 'POST /ops/dead-letters/replay', 200, ReplayResult, operator({ dryRun: true }));
    expect((await answer(base, 'GET /users/999999/coupons', 404, ErrorBody, operator())).code).toBe('USER_NOT_FOUND');
    expect((await answer(base, 'POST /coupons', 400, ErrorBody, operator({ type: 'WELCOME' }))).code).toBe('VALIDATION_FAILED');
    expect((await answer(base, `POST /coupons/${coupon.id}/claims`, 400, ErrorBody, asUser(user.id, { userId: user.id }))).code).toBe('VALIDATION_FAILED');
    expect((await answer(base, 'POST /vendors/random', 401, ErrorBody)).code).toBe('AUTH_REQUIRED');
    expect((await answer(base, 'POST /vendors/random', 403, ErrorBody, asUser(user.id))).code).toBe('FORBIDDEN');
  });

  it('the console answers what it documents (a race of two users, followed live)', async () => {
    const base = consoleApp.url;
    await answer(base, 'GET /health', 200, ConsoleHealth);
    expect((await answer(base, 'GET /api/services', 200, ServiceStatusList)).map((s) => s.status)).toEqual(APP_NAMES.map(() => 'up'));
    expect((await answer(base, 'GET /api/races/latest', 404, ErrorBody)).code).toBe('NO_RACE');
    // the console forwards the caller's token; the coupon app decides
    expect((await answer(base, 'POST /api/coupon/vendors/random', 401, ErrorBody)).code).toBe('AUTH_REQUIRED');
    const vendor = await answer(base, 'POST /api/coupon/vendors/random', 201, VendorView, operator());
    const coupon = await answer(base, 'POST /api/coupon/coupons', 201, CouponView, operator({ type: 'RACE', value: 100, total: 1, vendorId: vendor.id }));
    const race = { couponId: coupon.id, users: 2, path: 'mixed' };
    // a race is the operator's
    expect((await answer(base, 'POST /api/races', 401, ErrorBody, { body: race })).code).toBe('AUTH_REQUIRED');
    expect((await answer(base, 'POST /api/races', 403, ErrorBody, asUser(1, race))).code).toBe('FORBIDDEN');
    const first = await firstEvent(`${base}/api/races/stream`, () => answer(base, 'POST /api/races', 202, RaceView, operator(race)));
    expect(first.event).toBe('race');
    expect(RaceView.parse(first.data)).toEqual(first.data);
    const done = await eventually('the race done', async () => {
      const race = await answer(base, 'GET /api/races/latest', 200, RaceView);
      return race.phase === 'done' || race.phase === 'failed' ? race : undefined;
    });
    expect(done).toMatchObject({ phase: 'done', pass: true });
  });
});
