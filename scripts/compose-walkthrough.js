#!/usr/bin/env node
// Walks through a running `docker compose up` stack from the host, through its published ports only,
// as the README's walk-throughs do: the saga's three endings, both coupon claim paths, the console,
// kafka-ui and, when kafkajs is installed, a Kafka client on the host. Prints PASS/FAIL lines and
// `walkthrough: N passed, N failed`; exits 1 on any failure. Node built-ins only (fetch), plus
// kafkajs and mysql2 from node_modules when there.
//
//   node scripts/compose-walkthrough.js [--mysql]
//
// The ports are compose's: each *_HOST_PORT variable, else its default in docker-compose.yml.
// --mysql: also log in to MySQL on MYSQL_HOST_PORT (docker-compose.mysql-port.yml publishes it).
// WALKTHROUGH_WAIT_S (default 180): how long to wait for every /health to answer 200.
'use strict';

const hostPort = (name, fallback) => Number(process.env[`${name}_HOST_PORT`] || fallback);
const APPS = {
  order: hostPort('ORDER', 3101),
  stock: hostPort('STOCK', 3102),
  payment: hostPort('PAYMENT', 3103),
  shipment: hostPort('SHIPMENT', 3104),
  notification: hostPort('NOTIFICATION', 3105),
  coupon: hostPort('COUPON', 3106),
  console: hostPort('CONSOLE', 3100),
};
const KAFKA = hostPort('KAFKA', 9192);
const KAFKA_UI = hostPort('KAFKA_UI', 8180);
const MYSQL = hostPort('MYSQL', 3406);
const WAIT_S = Number(process.env.WALKTHROUGH_WAIT_S || 180);

// kafkajs 2.2.4 schedules a timer with a negative delay after each response (libs/kafka fixes it in
// the apps); Node warns about it, which says nothing about the stack.
process.removeAllListeners('warning');
process.on('warning', (w) => w.name === 'TimeoutNegativeWarning' || console.warn(w));

let passed = 0;
let failed = 0;
const check = (ok, what, why = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${ok || !why ? '' : `: ${why}`}`);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(port, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  } catch (err) {
    return { status: 0, json: undefined, text: String(err.cause?.code ?? err.message) };
  }
}
const brief = (r) => `${r.status} ${r.text.slice(0, 200)}`;
const count = (r) => (Array.isArray(r.json) ? r.json.length : (r.json?.items ?? []).length);

/** Polls until `done(answer)` or the deadline; returns the last answer. */
async function poll(fn, done, seconds) {
  const deadline = Date.now() + seconds * 1000;
  let last = await fn();
  while (!done(last) && Date.now() < deadline) {
    await sleep(500);
    last = await fn();
  }
  return last;
}

async function tokens(subjects, role) {
  const r = await call(APPS.order, 'POST', '/auth/dev-tokens', { body: { subjects: subjects.map(String), roles: [role] } });
  if (r.status !== 200 || !Array.isArray(r.json?.tokens)) throw new Error(`POST /auth/dev-tokens: ${brief(r)} (AUTH_DEV_TOKENS=off?)`);
  return r.json.tokens;
}

async function health() {
  const ready = await Promise.all(
    Object.entries(APPS).map(async ([app, port]) => {
      const r = await poll(() => call(port, 'GET', '/health'), (a) => a.status === 200, WAIT_S);
      check(r.status === 200, `${app} answers GET /health 200 on host port ${port}`, brief(r));
      return r.status === 200;
    }),
  );
  return ready.every(Boolean);
}

async function saga(user, ops) {
  const tvStock = () => call(APPS.stock, 'GET', '/stock/tv');
  const tvBefore = await tvStock();
  const place = (kind, count) => call(APPS.order, 'POST', '/orders', { token: user, body: { kind, count } });
  const settle = (id) =>
    poll(() => call(APPS.order, 'GET', `/orders/${id}`, { token: user }), (a) => a.status === 200 && a.json?.status !== 'PENDING', 90);
  const apple = await place('apple', 2);
  check(apple.status === 201 && apple.json?.status === 'PENDING', 'POST /orders 2 x apple -> 201 PENDING', brief(apple));
  const tv = await place('tv', 1);
  const nope = await place('nope', 1);
  check(tv.status === 201 && nope.status === 201, 'POST /orders tv, nope -> 201', `${brief(tv)}; ${brief(nope)}`);
  const unsigned = await call(APPS.order, 'POST', '/orders', { body: { kind: 'apple', count: 1 } });
  check(unsigned.status === 401, 'POST /orders without a token -> 401', brief(unsigned));

  if (apple.json?.id) {
    const o = await settle(apple.json.id);
    check(o.json?.status === 'COMPLETED', 'order apple -> COMPLETED', brief(o));
    const q = `?orderId=${apple.json.id}`;
    const [pay, ship, notes] = await Promise.all([
      call(APPS.payment, 'GET', `/payments${q}`, { token: ops }),
      call(APPS.shipment, 'GET', `/shipments${q}`, { token: ops }),
      call(APPS.notification, 'GET', `/notifications${q}`, { token: ops }),
    ]);
    check(pay.status === 200 && count(pay) === 1, 'payment has the order paid once', brief(pay));
    check(ship.status === 200 && count(ship) === 1, 'shipment has the order shipped once', brief(ship));
    check(notes.status === 200 && count(notes) >= 4, `notification saw the order's ${count(notes)} events`, brief(notes));
  }
  if (tv.json?.id) {
    const o = await settle(tv.json.id);
    check(o.json?.status === 'CANCELLED' && o.json?.reason === 'LIMIT_EXCEEDED', 'order tv -> CANCELLED LIMIT_EXCEEDED (payment declined)', brief(o));
    const same = (a) => a.status === 200 && JSON.stringify(a.json) === JSON.stringify(tvBefore.json);
    const after = await poll(tvStock, same, 30);
    check(tvBefore.status === 200 && same(after), `the tv's reserved stock is released (${after.text})`, `before ${tvBefore.text}`);
  }
  if (nope.json?.id) {
    const o = await settle(nope.json.id);
    check(o.json?.status === 'REJECTED' && o.json?.reason === 'UNKNOWN_PRODUCT', 'order nope -> REJECTED UNKNOWN_PRODUCT', brief(o));
  }
}

async function coupon(ops) {
  const vendor = await call(APPS.coupon, 'POST', '/vendors/random', { token: ops });
  const c = await call(APPS.coupon, 'POST', '/coupons', { token: ops, body: { type: 'FOOD', value: 500, total: 100, vendorId: vendor.json?.id } });
  check(vendor.status === 201 && c.status === 201, 'POST /vendors/random, POST /coupons (cap 100) -> 201', `${brief(vendor)}; ${brief(c)}`);
  const users = await Promise.all([1, 2].map(() => call(APPS.coupon, 'POST', '/users/random')));
  check(users.every((u) => u.status === 201), 'POST /users/random x2 -> 201', users.map(brief).join('; '));
  if (!c.json?.id || !users.every((u) => u.json?.id !== undefined)) return;
  const [t1, t2] = await tokens(users.map((u) => u.json.id), 'user');

  const sync = await call(APPS.coupon, 'POST', `/coupons/${c.json.id}/claims`, { token: t1 });
  check(sync.status === 201 && sync.json?.status === 'ISSUED', 'useCoupon: synchronous claim -> 201 ISSUED', brief(sync));
  const again = await call(APPS.coupon, 'POST', `/coupons/${c.json.id}/claims`, { token: t1 });
  check(again.status === 409, 'the same user again -> 409', brief(again));
  const queued = await call(APPS.coupon, 'POST', `/coupons/${c.json.id}/claims/async`, { token: t2 });
  check(queued.status === 202 && queued.json?.status === 'PENDING', 'useCouponToKafka: queued claim -> 202 PENDING', brief(queued));
  if (queued.json?.claimId) {
    const st = await poll(() => call(APPS.coupon, 'GET', `/claims/${queued.json.claimId}`, { token: t2 }), (a) => a.status === 200 && a.json?.status !== 'PENDING', 60);
    check(st.json?.status === 'ISSUED', 'the queued claim -> ISSUED (through Kafka)', brief(st));
  }
  const after = await call(APPS.coupon, 'GET', `/coupons/${c.json.id}`);
  check(after.status === 200 && after.json?.issued === 2, `the coupon counts ${after.json?.issued} issued of ${after.json?.total}`, brief(after));
}

async function pages() {
  const page = await call(APPS.console, 'GET', '/');
  check(page.status === 200 && page.text.includes('<html'), `console page on host port ${APPS.console}`, brief(page));
  const ui = await poll(() => call(KAFKA_UI, 'GET', '/'), (a) => a.status === 200, 60);
  check(ui.status === 200, `kafka-ui on host port ${KAFKA_UI}`, brief(ui));
}

/** A Kafka client on the host is sent to the advertised listener: it must be the published port. */
async function hostKafkaClient() {
  let Kafka;
  try {
    ({ Kafka } = require('kafkajs'));
  } catch {
    return console.log('SKIP a Kafka client on the host (kafkajs is not installed here: npm ci)');
  }
  const admin = new Kafka({ clientId: 'compose-walkthrough', brokers: [`127.0.0.1:${KAFKA}`], logLevel: 0, retry: { retries: 3 } }).admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    const topics = await admin.listTopics();
    check(
      brokers.every((b) => b.port === KAFKA) && topics.includes('order.created.v1'),
      `a Kafka client on the host reaches the broker at localhost:${KAFKA} (advertised: ${brokers.map((b) => `${b.host}:${b.port}`).join(', ')}; ${topics.length} topics)`,
    );
  } catch (err) {
    check(false, `a Kafka client on the host at localhost:${KAFKA}`, err.message);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function hostMysql() {
  const mysql = require('mysql2/promise');
  try {
    const db = await mysql.createConnection({ host: '127.0.0.1', port: MYSQL, user: 'root', password: process.env.MYSQL_ROOT_PASSWORD || 'commerce', database: 'commerce' });
    const [rows] = await db.query('SELECT COUNT(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    await db.end();
    check(rows[0].n > 0, `MySQL on host port ${MYSQL}: ${rows[0].n} migrations applied`);
  } catch (err) {
    check(false, `MySQL on host port ${MYSQL}`, err.message);
  }
}

async function main() {
  if (await health()) {
    const [user, ops] = [...(await tokens(['walkthrough'], 'user')), ...(await tokens(['walkthrough-ops'], 'operator'))];
    await saga(user, ops);
    await coupon(ops);
    await pages();
    await hostKafkaClient();
    if (process.argv.includes('--mysql')) await hostMysql();
  }
  console.log(`walkthrough: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(`walkthrough: ${err.message}`);
  process.exit(1);
});
