#!/usr/bin/env node
/* eslint-disable no-console */
// `npm run bench` (issue 5): sync vs Kafka coupon claims and saga throughput, measured against the
// machine's own limits in one run. Starts what it needs as child processes (fresh database, own
// topic prefix and group suffix, non-default ports, so it never collides with `npm start`), drives
// the load from this process (autocannon, latency in an HDR histogram), checks the invariants after
// every scenario (a violation fails the run) and writes bench/results/<ts>.json, latest.md, latest.svg.
//
//   npm run bench                 full run (scaled to finish in <= 10 min on a 2-core machine)
//   npm run bench:smoke           tiny counts, ~1 min; used by bench/bench.e2e-spec.ts
//   node bench/run.js [--smoke] [--reps N] [--set count=N,...] [--out DIR] [--port BASE] [--no-setup] [--keep-db] [--profile]
//   [--only coupon|saga]
//   (--profile: the apps run with --cpu-prof; the .cpuprofile files land in <out>/profiles)
//   (--only: run one half while iterating; the other half's targets show as not measured)
const { execFileSync, spawn } = require('node:child_process');
const { join } = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { randomUUID } = require('node:crypto');
const { APP_NODE_FLAGS } = require('../scripts/node-flags');
const { ensureRuntime } = require('../scripts/runtime');
const { ensureDatabase, localDatabaseUrl } = require('../scripts/database');

if (!ensureRuntime({ install: true })) return; // runs again on the project's Node 24

const root = join(__dirname, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const SMOKE = flag('smoke');
const ONLY = opt('only', '');
if (ONLY && !['coupon', 'saga'].includes(ONLY)) throw new Error('--only: coupon or saga');
const want = (part) => !ONLY || ONLY === part;
const profileArgs = () => (flag('profile') ? ['--cpu-prof', '--cpu-prof-dir', join(OUT, 'profiles')] : []);
const OUT = opt('out', join(__dirname, 'results'));
const TS = new Date().toISOString().replace(/[:.]/g, '-');
const RUN_ID = `b${Date.now().toString(36)}`;

// Counts. The full run is scaled so the whole bench (with start-up) stays under 10 minutes on 2 cores.
const C = SMOKE
  ? { reps: 1, contention: 200, cap: 100, success: 300, syncSuccess: 200, conns: 20, raw: 200, rawInsert: 2000, rawKafka: 2000, noop: 500, orders: 50, rateSeconds: 2, users: 1000, kafkaReps: 1, drain: 300 }
  : { reps: Number(opt('reps', 3)), contention: 20_000, cap: 100, success: 100_000, syncSuccess: 6_000, conns: 100, raw: 6_000, rawInsert: 100_000, rawKafka: 100_000, noop: 30_000, orders: 3_000, rateSeconds: 8, users: 100_000, kafkaReps: 1, drain: 20_000 };
// --set key=value,key=value overrides any count above (e.g. --set success=30000,reps=1).
for (const kv of (opt('set', '') || '').split(',').filter(Boolean)) {
  const [k, v] = kv.split('=');
  if (!(k in C)) throw new Error(`--set: unknown count ${k}`);
  C[k] = Number(v);
}
const BASE_PORT = Number(opt('port', SMOKE ? 23000 : 13000));
const PORTS = { order: BASE_PORT + 1, stock: BASE_PORT + 2, payment: BASE_PORT + 3, shipment: BASE_PORT + 4, notification: BASE_PORT + 5, coupon: BASE_PORT + 6, couponWorker: BASE_PORT + 7, noop: BASE_PORT + 99 };
// The server the bench's own database lives on: BENCH_DATABASE_HOST, else DATABASE_URL's, else the
// project's own MariaDB (started below when needed, like `npm start` does).
const LOCAL_DB = !process.env.BENCH_DATABASE_HOST && !process.env.DATABASE_URL;
const DB_HOST = process.env.BENCH_DATABASE_HOST || (process.env.DATABASE_URL || localDatabaseUrl()).replace(/\/[^/]*$/, '');
const DB_NAME = `bench_${RUN_ID}`;
const DATABASE_URL = `${DB_HOST}/${DB_NAME}`;
const POOL = Number(process.env.BENCH_POOL_SIZE || 10);
const ENV = {
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DATABASE_URL,
  DATABASE_POOL_SIZE: String(POOL),
  KAFKA_TOPIC_PREFIX: `${RUN_ID}.`,
  KAFKA_GROUP_SUFFIX: `-${RUN_ID}`,
  ...Object.fromEntries(Object.entries(PORTS).filter(([k]) => !['noop', 'couponWorker'].includes(k)).map(([k, v]) => [`${k.toUpperCase()}_PORT`, String(v)])),
};
const log = (m) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

// ---------------------------------------------------------------- processes
const children = new Map();
function startProc(name, args, env = ENV) {
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  // Full server logs go to results/logs/ (ignored by git) for post-mortems.
  fs.mkdirSync(join(OUT, 'logs'), { recursive: true });
  const file = fs.createWriteStream(join(OUT, 'logs', `${name}.log`));
  child.stdout.pipe(file);
  child.stderr.pipe(file);
  const keep = (d) => {
    for (const line of String(d).split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    if (!stopping && !children.get(name)?.expected) {
      console.error(`[bench] ${name} exited (${signal ?? code}); last output:\n${tail.join('\n')}`);
      failures.push(`${name} exited unexpectedly (${signal ?? code})`);
    }
    children.delete(name);
  });
  children.set(name, { child, tail });
  return child;
}
/** Stops one server on purpose (SIGTERM: graceful) and waits for it to exit. */
async function stopProc(name) {
  const c = children.get(name);
  if (!c) return;
  c.expected = true;
  await new Promise((r) => {
    c.child.once('exit', r);
    c.child.kill('SIGTERM');
  });
}
async function waitHealthy(name, port, path = '/health', timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} died during start-up`);
    const ok = await fetch(`http://127.0.0.1:${port}${path}`, { method: path === '/noop' ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, body: path === '/noop' ? '{}' : undefined }).then(
      (r) => r.status < 300,
      () => false,
    );
    if (ok) return;
    await sleep(300);
  }
  throw new Error(`${name} not healthy on :${port} after ${timeoutMs} ms:\n${children.get(name)?.tail.join('\n')}`);
}
function peakRss(name) {
  const c = children.get(name);
  if (!c) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${c.child.pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return hwm ? Math.round(Number(hwm[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
let stopping = false;
async function stopAll() {
  stopping = true;
  const exits = [...children.values()].map(
    ({ child }) =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
        setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 15_000).unref();
      }),
  );
  await Promise.all(exits);
}
const failures = [];

// ---------------------------------------------------------------- database
let pool;
async function db() {
  if (!pool) {
    const mysql = require('mysql2/promise');
    pool = mysql.createPool({ uri: DATABASE_URL, connectionLimit: POOL, supportBigNumbers: true, bigNumberStrings: false, dateStrings: false });
  }
  return pool;
}
async function q(sql, params) {
  const [rows] = await (await db()).query(sql, params);
  return rows;
}

async function http(method, port, path, body) {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

let USER_IDS = [];
async function seedUsers(n) {
  const before = (await q('SELECT COALESCE(MAX(id), 0) AS m FROM coupon_user'))[0].m;
  for (let i = 0; i < n; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, n - i) }, (_, j) => [`bench-${i + j}`]);
    await q('INSERT INTO coupon_user (name) VALUES ?', [rows]);
  }
  USER_IDS = (await q('SELECT id FROM coupon_user WHERE id > ? ORDER BY id', [before])).map((r) => r.id);
}
async function newCoupon(total, value = 1000) {
  const vendor = await http('POST', PORTS.coupon, '/vendors/random');
  return http('POST', PORTS.coupon, '/coupons', { type: 'BENCH', value, total, vendorId: vendor.id });
}

// ---------------------------------------------------------------- invariants
async function waitTerminal(couponId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await q("SELECT COUNT(*) AS n FROM coupon_claim WHERE coupon_id = ? AND status = 'PENDING'", [couponId]);
    if (Number(r.n) === 0 || Date.now() > deadline) return Number(r.n);
    await sleep(100);
  }
}
async function checkCoupon(label, couponId, { expectFull } = {}) {
  const [c] = await q('SELECT total, issued, vendor_id AS vendorId FROM coupon_coupon WHERE id = ?', [couponId]);
  const [uc] = await q('SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS d FROM coupon_user_coupon WHERE coupon_id = ?', [couponId]);
  const [v] = await q(
    `SELECT v.balance, (SELECT COALESCE(SUM(c.value), 0) FROM coupon_user_coupon u JOIN coupon_coupon c ON c.id = u.coupon_id WHERE c.vendor_id = v.id) AS payouts
     FROM coupon_vendor v WHERE v.id = ?`,
    [c.vendorId],
  );
  const byStatus = Object.fromEntries((await q('SELECT status, COUNT(*) AS n FROM coupon_claim WHERE coupon_id = ? GROUP BY status', [couponId])).map((r) => [r.status, Number(r.n)]));
  const checks = {
    'issued <= cap': c.issued <= c.total,
    'issued == user_coupon rows': c.issued === Number(uc.n),
    'no duplicate holder': Number(uc.n) === Number(uc.d),
    'vendor balance == payouts': Number(v.balance) === Number(v.payouts),
    'every claim terminal': !byStatus.PENDING,
    'ISSUED claims == issued': (byStatus.ISSUED ?? 0) === c.issued,
    ...(expectFull ? { 'cap reached': c.issued === c.total } : {}),
  };
  const bad = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
  if (bad.length) failures.push(`${label}: invariant violated: ${bad.join(', ')} (${JSON.stringify({ ...c, uc, v, byStatus })})`);
  return { ok: bad.length === 0, checks, issued: c.issued, total: c.total, claims: byStatus };
}

// ---------------------------------------------------------------- load generator
const autocannon = require('autocannon');
const nodeHttp = require('node:http');
const hdr = require('hdr-histogram-js');
function newHist() {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}
function pct(h) {
  const ms = (p) => round(h.getValueAtPercentile(p) / 1000, 2);
  return { p50: ms(50), p95: ms(95), p99: ms(99), max: round(h.maxValue / 1000, 2), count: h.totalCount };
}
/**
 * POSTs `amount` requests over `connections` keep-alive connections (closed model, autocannon),
 * or at `rate` req/s (open model, see openLoad). bodyFor(i) gives the i-th request body. Counts
 * outcomes by "status code|error code".
 */
function load({ port, path, amount, connections: wanted = C.conns, rate, duration, bodyFor, method = 'POST' }) {
  if (rate) return openLoad({ port, path, amount: amount ?? Math.ceil(rate * duration), rate, bodyFor, method });
  const connections = amount ? Math.min(wanted, amount) : wanted;
  return new Promise((resolve, reject) => {
    const hist = newHist();
    const outcomes = {};
    let i = 0;
    const started = process.hrtime.bigint();
    const inst = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        ...(amount ? { amount } : {}),
        ...(duration ? { duration } : {}),
        ...(rate ? { overallRate: rate } : {}),
        timeout: 60,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method,
            path,
            setupRequest: (req) => ({ ...req, body: bodyFor ? JSON.stringify(bodyFor(i++)) : undefined }),
            onResponse: (status, body) => {
              let code = '';
              if (status >= 300) {
                try {
                  code = JSON.parse(body).code || '';
                } catch {
                  code = '';
                }
              }
              const k = code ? `${status} ${code}` : String(status);
              outcomes[k] = (outcomes[k] ?? 0) + 1;
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const n = hist.totalCount;
        resolve({
          requests: n,
          seconds: round(seconds, 3),
          rps: round(n / seconds, 1),
          latencyMs: pct(hist),
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          outcomes,
        });
      },
    );
    inst.on('response', (_client, _status, _bytes, responseTime) => hist.recordValue(Math.max(1, Math.round(responseTime * 1000))));
  });
}

/**
 * Open model at a fixed rate, evenly paced: request i is due at start + i / rate and is sent when
 * due, whatever is still in flight (autocannon's overallRate instead releases each second's quota
 * at once, a burst). latencyMs is measured from the due time, so time a request spent waiting
 * behind a stalled server or a busy client counts (no coordinated omission); serviceMs is
 * measured from the moment it was handed to the HTTP client.
 */
async function openLoad({ port, path, amount, rate, bodyFor, method = 'POST' }) {
  // Keep-alive sockets opened before the clock starts: opening hundreds at once in the first
  // second overflows the listen backlog, and a dropped SYN is retried after a whole second.
  const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: 256 });
  const warm = () => new Promise((done) => nodeHttp.get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => res.resume().on('end', done)).on('error', done));
  await Promise.all(Array.from({ length: 64 }, warm));
  const hist = newHist();
  const service = newHist();
  const outcomes = {};
  const interval = 1000 / rate;
  let sent = 0;
  let done = 0;
  let errors = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      const seconds = (performance.now() - start) / 1000;
      resolve({
        requests: hist.totalCount,
        seconds: round(seconds, 3),
        rps: round(hist.totalCount / seconds, 1),
        latencyMs: pct(hist),
        serviceMs: pct(service),
        errors,
        non2xx: Object.entries(outcomes).filter(([k]) => !k.startsWith('2')).reduce((n, [, v]) => n + v, 0),
        outcomes,
        model: `open, evenly paced at ${round(rate, 1)}/s`,
      });
    };
    const send = (i, due) => {
      const body = bodyFor ? JSON.stringify(bodyFor(i)) : undefined;
      const written = performance.now();
      const req = nodeHttp.request({ host: '127.0.0.1', port, path, method, agent, headers: { 'content-type': 'application/json', ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const now = performance.now();
          hist.recordValue(Math.max(1, Math.round((now - due) * 1000)));
          service.recordValue(Math.max(1, Math.round((now - written) * 1000)));
          let code = '';
          if (res.statusCode >= 300) {
            try {
              code = JSON.parse(Buffer.concat(chunks).toString()).code || '';
            } catch {
              code = '';
            }
          }
          const k = code ? `${res.statusCode} ${code}` : String(res.statusCode);
          outcomes[k] = (outcomes[k] ?? 0) + 1;
          if (++done === amount) finish();
        });
      });
      req.on('error', () => {
        errors++;
        if (++done === amount) finish();
      });
      req.end(body);
    };
    const pump = () => {
      const now = performance.now();
      while (sent < amount && start + sent * interval <= now) {
        send(sent, start + sent * interval);
        sent++;
      }
      if (sent < amount) setTimeout(pump, Math.max(0, start + sent * interval - performance.now()));
    };
    pump();
  });
}

// ---------------------------------------------------------------- scenarios
let userCursor = 0;
/** Distinct users per coupon: a fresh slice of the seeded users (wraps: a user may hold several coupons). */
function usersFor(n) {
  const ids = [];
  for (let k = 0; k < n; k++) ids.push(USER_IDS[(userCursor + k) % USER_IDS.length]);
  userCursor = (userCursor + n) % USER_IDS.length;
  return ids;
}

async function contention(path, rep) {
  const coupon = await newCoupon(C.cap);
  const users = usersFor(C.contention);
  const r = await load({ port: PORTS.coupon, path: `/coupons/${coupon.id}/${path}`, amount: C.contention, bodyFor: (i) => ({ userId: users[i % users.length] }) });
  const pending = await waitTerminal(coupon.id, 120_000);
  const inv = await checkCoupon(`contention ${path} #${rep}`, coupon.id, { expectFull: true });
  return { ...r, couponId: coupon.id, pendingAfterDrain: pending, invariants: inv };
}

async function successSync(rep) {
  const n = C.syncSuccess;
  const coupon = await newCoupon(Math.max(n, 100_000));
  const users = usersFor(n);
  const r = await load({ port: PORTS.coupon, path: `/coupons/${coupon.id}/claims`, amount: n, bodyFor: (i) => ({ userId: users[i] }) });
  const inv = await checkCoupon(`success sync #${rep}`, coupon.id);
  return { ...r, claimsPerSec: round((r.outcomes['201'] ?? 0) / r.seconds, 1), invariants: inv };
}

async function successKafka(rep) {
  const n = C.success;
  const coupon = await newCoupon(Math.max(n, 100_000));
  const users = usersFor(n);
  const t0 = Date.now();
  const series = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const [c] = await q('SELECT issued FROM coupon_coupon WHERE id = ?', [coupon.id]);
      series.push([Date.now() - t0, c.issued]);
      await sleep(250);
    }
  })();
  const r = await load({ port: PORTS.coupon, path: `/coupons/${coupon.id}/claims/async`, amount: n, bodyFor: (i) => ({ userId: users[i] }) });
  const pending = await waitTerminal(coupon.id, 240_000);
  polling = false;
  await poller;
  const drainedMs = Date.now() - t0;
  const [w] = await q(
    "SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(updated_at), MAX(updated_at)) AS us FROM coupon_claim WHERE coupon_id = ? AND status = 'ISSUED'",
    [coupon.id],
  );
  const lat = await q("SELECT TIMESTAMPDIFF(MICROSECOND, created_at, updated_at) AS us FROM coupon_claim WHERE coupon_id = ? AND status = 'ISSUED'", [coupon.id]);
  const h = newHist();
  for (const row of lat) h.recordValue(Math.max(1, Number(row.us)));
  const inv = await checkCoupon(`success kafka #${rep}`, coupon.id);
  return {
    ...r,
    acceptedPerSec: round((r.outcomes['202'] ?? 0) / r.seconds, 1),
    issued: Number(w.n),
    issuedPerSec: round(Number(w.n) / Math.max(0.001, Number(w.us) / 1e6), 1),
    drainedAfterMs: drainedMs,
    pendingAfterDrain: pending,
    endToEndMs: pct(h),
    issuedSeries: series,
    invariants: inv,
  };
}

/**
 * Issued/s while draining a backlog: claims are accepted by the API process while the consumer
 * process is stopped; then it starts and the rate at which it issues them is read from the
 * claims' updated_at in the DB. This is the consumer's own capacity, not bounded by the accept
 * rate as in successKafka.
 */
/**
 * The coupon app as deployed for load: one process answers HTTP (KAFKA_CONSUMERS=off), another
 * runs the claim consumer (its HTTP port is not used), so accepting and applying claims do not
 * share one Node event loop. Both are the same build and configuration otherwise.
 */
function startCouponWorker() {
  startProc('coupon-worker', [...profileArgs(), 'dist/apps/coupon/src/main.js'], { ...ENV, COUPON_PORT: String(PORTS.couponWorker) });
}

async function drainKafka(rep) {
  const n = C.drain;
  const coupon = await newCoupon(n);
  const users = usersFor(n);
  await stopProc('coupon-worker');
  const r = await load({ port: PORTS.coupon, path: `/coupons/${coupon.id}/claims/async`, amount: n, bodyFor: (i) => ({ userId: users[i] }) });
  const [backlog] = await q("SELECT COUNT(*) AS n FROM coupon_claim WHERE coupon_id = ? AND status = 'PENDING'", [coupon.id]);
  startCouponWorker();
  await waitHealthy('coupon-worker', PORTS.couponWorker);
  const pending = await waitTerminal(coupon.id, 240_000);
  const [w] = await q(
    "SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(updated_at), MAX(updated_at)) AS us FROM coupon_claim WHERE coupon_id = ? AND status = 'ISSUED'",
    [coupon.id],
  );
  const inv = await checkCoupon(`drain kafka #${rep}`, coupon.id);
  return {
    ...r,
    accepted: r.outcomes['202'] ?? 0,
    acceptedPerSecWithoutConsumer: round((r.outcomes['202'] ?? 0) / r.seconds, 1),
    backlog: Number(backlog.n),
    issued: Number(w.n),
    issuedPerSec: round(Number(w.n) / Math.max(0.001, Number(w.us) / 1e6), 1),
    pendingAfterDrain: pending,
    invariants: inv,
  };
}

async function noop() {
  return load({ port: PORTS.noop, path: '/noop', amount: C.noop, bodyFor: (i) => ({ userId: i + 1 }) });
}

/** The DB limit of a one-transaction-per-claim sync path (guarded update, user_coupon, vendor credit), raw mysql2. */
async function rawGuardedClaims(rep) {
  const coupon = await newCoupon(100_000);
  const [c] = await q('SELECT value, vendor_id AS vendorId FROM coupon_coupon WHERE id = ?', [coupon.id]);
  const users = usersFor(C.raw);
  const p = await db();
  let next = 0;
  let issued = 0;
  const h = newHist();
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < users.length) {
      const userId = users[next++];
      const s = process.hrtime.bigint();
      const [[pre]] = await p.query(
        `SELECT c.id, c.total, c.issued, EXISTS(SELECT 1 FROM coupon_user u WHERE u.id = ?) AS ue,
          EXISTS(SELECT 1 FROM coupon_user_coupon uc WHERE uc.user_id = ? AND uc.coupon_id = ?) AS holds
         FROM (SELECT 1 AS one) x LEFT JOIN coupon_coupon c ON c.id = ?`,
        [userId, userId, coupon.id, coupon.id],
      );
      if (pre.holds || pre.issued >= pre.total) continue;
      const conn = await p.getConnection();
      const claimId = randomUUID();
      try {
        await conn.query('BEGIN');
        await conn.query("INSERT INTO coupon_claim (id, user_id, coupon_id, path, status, updated_at) VALUES (?, ?, ?, 'SYNC', 'ISSUED', NOW(3))", [claimId, userId, coupon.id]);
        const [u] = await conn.query('UPDATE coupon_coupon SET issued = issued + 1 WHERE id = ? AND issued < total', [coupon.id]);
        if (u.affectedRows === 0) throw new Error('sold out');
        await conn.query('INSERT INTO coupon_user_coupon (user_id, coupon_id, claim_id) VALUES (?, ?, ?)', [userId, coupon.id, claimId]);
        await conn.query('UPDATE coupon_vendor SET balance = balance + ? WHERE id = ?', [c.value, c.vendorId]);
        await conn.query("INSERT INTO outbox_event (service, topic, `key`, event_id, value) VALUES ('bench', 'bench.raw', ?, ?, ?)", [String(coupon.id), randomUUID(), JSON.stringify({ claimId, userId, couponId: coupon.id })]);
        await conn.query('COMMIT');
        issued++;
      } catch (e) {
        await conn.query('ROLLBACK');
        throw e;
      } finally {
        conn.release();
      }
      h.recordValue(Math.max(1, Number(process.hrtime.bigint() - s) / 1000));
    }
  };
  // Same client concurrency as the HTTP runs; the pool (DATABASE_POOL_SIZE) queues the rest, as the app's does.
  await Promise.all(Array.from({ length: C.conns }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await q("DELETE FROM outbox_event WHERE service = 'bench'");
  const inv = await checkCoupon(`raw mysql2 #${rep}`, coupon.id);
  return { claims: issued, seconds: round(seconds, 3), claimsPerSec: round(issued / seconds, 1), latencyMs: pct(h), invariants: inv };
}

/** The DB limit of the queued path's accept side: multi-row INSERTs of PENDING claims, 500 per statement. */
async function rawBatchedInsert() {
  const coupon = await newCoupon(100);
  const n = C.rawInsert;
  const p = await db();
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < n) {
      const size = Math.min(500, n - next);
      const base = next;
      next += size;
      const rows = Array.from({ length: size }, (_, j) => [randomUUID(), USER_IDS[(base + j) % USER_IDS.length], coupon.id, 'KAFKA', 'PENDING']);
      await p.query('INSERT INTO coupon_claim (id, user_id, coupon_id, path, status) VALUES ?', [rows]);
    }
  };
  await Promise.all(Array.from({ length: 2 }, worker)); // two in flight, like the app's group commit
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await q('DELETE FROM coupon_claim WHERE coupon_id = ?', [coupon.id]);
  return { rows: n, seconds: round(seconds, 3), rowsPerSec: round(n / seconds, 1) };
}

/** The broker limit: acks=all produce of claim-sized keyed messages, 500 per request, two in flight. */
async function rawKafka() {
  const { Kafka, logLevel } = require('kafkajs');
  const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const topic = `${RUN_ID}.bench.raw-produce`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  const n = C.rawKafka;
  const value = JSON.stringify({ eventId: randomUUID(), type: 'coupon.claim.requested', occurredAt: new Date().toISOString(), producer: 'coupon', correlationId: randomUUID(), payload: { claimId: randomUUID(), couponId: 1, userId: 12345 } });
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < n) {
      const size = Math.min(500, n - next);
      next += size;
      await producer.send({ topic, acks: -1, messages: Array.from({ length: size }, (_, j) => ({ key: String(j % 97), value })) });
    }
  };
  await Promise.all(Array.from({ length: 2 }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await producer.disconnect();
  return { messages: n, seconds: round(seconds, 3), messagesPerSec: round(n / seconds, 1) };
}

// ---------------------------------------------------------------- saga
async function sagaRun(label, { amount, rate, duration }) {
  const [{ m }] = await q('SELECT COALESCE(MAX(created_at), NOW(3) - INTERVAL 1 SECOND) AS m FROM order_order');
  const r = await load({ port: PORTS.order, path: '/orders', amount, rate, duration, connections: rate ? Math.max(50, C.conns) : C.conns, bodyFor: () => ({ kind: 'BENCH-SKU', count: 1 }) });
  const deadline = Date.now() + 120_000;
  let open;
  for (;;) {
    [open] = await q("SELECT COUNT(*) AS n FROM order_order WHERE created_at > ? AND status NOT IN ('COMPLETED', 'REJECTED', 'CANCELLED')", [m]);
    if (Number(open.n) === 0 || Date.now() > deadline) break;
    await sleep(200);
  }
  const rows = await q('SELECT status, TIMESTAMPDIFF(MICROSECOND, created_at, updated_at) AS us, created_at AS c, updated_at AS u FROM order_order WHERE created_at > ?', [m]);
  const byStatus = {};
  const h = newHist();
  let first = Infinity;
  let last = 0;
  for (const row of rows) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    if (row.status === 'COMPLETED') {
      h.recordValue(Math.max(1, Number(row.us)));
      first = Math.min(first, new Date(row.c).getTime());
      last = Math.max(last, new Date(row.u).getTime());
    }
  }
  if (Number(open.n) > 0) failures.push(`saga ${label}: ${open.n} orders not terminal after 120 s`);
  const completed = byStatus.COMPLETED ?? 0;
  return { ...r, orders: rows.length, byStatus, completedPerSec: round(completed / Math.max(0.001, (last - first) / 1000), 1), endToEndMs: pct(h), allTerminal: Number(open.n) === 0 };
}
async function sagaInvariants(label) {
  const [p] = await q("SELECT reserved, available FROM stock_product WHERE sku = 'BENCH-SKU'");
  const [r] = await q("SELECT COUNT(*) AS n FROM stock_reservation WHERE status = 'RESERVED'");
  const ok = p && Number(p.reserved) === Number(r.n);
  if (!ok) failures.push(`saga ${label}: stock reserved ${p?.reserved} != open reservations ${r.n}`);
  return { ok, reserved: p?.reserved, openReservations: Number(r.n) };
}

// ---------------------------------------------------------------- main
async function main() {
  const started = Date.now();
  const report = {
    id: RUN_ID,
    timestamp: new Date().toISOString(),
    mode: SMOKE ? 'smoke' : 'full',
    counts: C,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: round(os.totalmem() / 2 ** 30, 1), platform: `${os.type()} ${os.release()}`, node: process.version },
    software: {},
    config: { DATABASE_POOL_SIZE: POOL, connections: C.conns, COUPON_CONSUMER_CONCURRENCY: ENV.COUPON_CONSUMER_CONCURRENCY || 3, COUPON_CLAIM_PARTITIONS: ENV.COUPON_CLAIM_PARTITIONS || 6 },
    scenarios: {},
    peakRssMiB: {},
    failures,
  };
  for (const pkg of ['@nestjs/core', 'fastify', 'kafkajs', '@prisma/client', 'mysql2', 'autocannon']) {
    try {
      report.software[pkg] = require(join(root, 'node_modules', pkg, 'package.json')).version;
    } catch {
      /* not installed */
    }
  }
  if (LOCAL_DB) ensureDatabase();
  if (!flag('no-setup')) {
    log(`set-up (node scripts/setup.js) with DATABASE_URL=${DATABASE_URL}`);
    execFileSync(process.execPath, [join(root, 'scripts/setup.js')], { cwd: root, env: ENV, stdio: SMOKE ? 'ignore' : 'inherit' });
  }
  try {
    report.software.mariadb = (await q('SELECT VERSION() AS v'))[0].v;
    const pomVersion = /<kafka\.version>([^<]+)</.exec(fs.readFileSync(join(root, 'scripts/kafka/pom.xml'), 'utf8'))?.[1];
    report.software.kafka = process.env.KAFKA_BROKERS
      ? `external (${process.env.KAFKA_BROKERS})`
      : `${process.env.KAFKA_VERSION || pomVersion} (scripts/kafka)`;

    if (want('coupon')) await couponScenarios(report);
    if (want('saga')) await sagaScenarios(report);

    for (const name of children.keys()) report.peakRssMiB[name] = peakRss(name);
    report.peakRssMiB.bench = Math.round(process.resourceUsage().maxRSS / 1024);
  } finally {
    await stopAll();
    if (pool) {
      if (!flag('keep-db')) await pool.query(`DROP DATABASE IF EXISTS \`${DB_NAME}\``).catch(() => undefined);
      await pool.end();
    }
  }
  report.durationSec = round((Date.now() - started) / 1000, 1);
  report.summary = summarize(report);
  report.ok = failures.length === 0;
  fs.mkdirSync(OUT, { recursive: true });
  const jsonPath = join(OUT, `${SMOKE ? 'smoke-' : ''}${TS}.json`);
  fs.writeFileSync(jsonPath, JSON.stringify(report, null, 2));
  const { markdown, svg } = require('./report');
  fs.writeFileSync(join(OUT, SMOKE ? 'smoke-latest.md' : 'latest.md'), markdown(report));
  fs.writeFileSync(join(OUT, SMOKE ? 'smoke-latest.svg' : 'latest.svg'), svg(report));
  log(`wrote ${jsonPath} in ${report.durationSec} s`);
  console.log(markdown(report));
  if (failures.length) {
    console.error(`FAIL: ${failures.length} problem(s):\n- ${failures.join('\n- ')}`);
    process.exitCode = 1;
  } else console.log('PASS: every invariant held');
  return report;
}

const runReps = async (name, fn) => {
  const out = [];
  for (let i = 0; i < C.reps; i++) {
    log(`${name} #${i + 1}/${C.reps}`);
    out.push(await fn(i));
  }
  return out;
};

/** Contention, success path, backlog drain, the limits and the fixed rates of the coupon paths. */
async function couponScenarios(report) {
  log('starting coupon (API process and consumer process) and the no-op app');
  startProc('coupon', [...profileArgs(), 'dist/apps/coupon/src/main.js'], { ...ENV, KAFKA_CONSUMERS: 'off' });
  startCouponWorker();
  startProc('noop', ['bench/noop-app.js', String(PORTS.noop)]);
  await Promise.all([waitHealthy('coupon', PORTS.coupon), waitHealthy('coupon-worker', PORTS.couponWorker), waitHealthy('noop', PORTS.noop, '/noop')]);
  log(`seeding ${C.users} users`);
  await seedUsers(C.users);
  // warm-up: JIT, pools, producer metadata
  const warm = await newCoupon(1000);
  const wu = usersFor(400);
  await load({ port: PORTS.coupon, path: `/coupons/${warm.id}/claims`, amount: 200, connections: 20, bodyFor: (i) => ({ userId: wu[i] }) });
  await load({ port: PORTS.coupon, path: `/coupons/${warm.id}/claims/async`, amount: 200, connections: 20, bodyFor: (i) => ({ userId: wu[200 + i] }) });
  await load({ port: PORTS.noop, path: '/noop', amount: 500, connections: 20, bodyFor: () => ({}) });
  await waitTerminal(warm.id, 30_000);

  const S = report.scenarios;

  S.contention = { sync: await runReps('contention sync', (i) => contention('claims', i)), kafka: await runReps('contention kafka', (i) => contention('claims/async', i)) };
  S.limits = {
    noop: await runReps('limit: no-op endpoint', noop),
    rawMysqlGuardedClaim: await runReps('limit: raw mysql2 guarded claim', rawGuardedClaims),
    rawBatchedInsert: await runReps('limit: raw batched insert', rawBatchedInsert),
    rawKafkaProduce: await runReps('limit: raw kafkajs produce', rawKafka),
  };
  S.success = { sync: await runReps('success sync', successSync) };
  {
    // 100,000 claims per repetition: fewer repetitions here (kafkaReps) keep the run under 10 minutes.
    const reps0 = C.reps;
    C.reps = C.kafkaReps;
    S.success.kafka = await runReps('success kafka', successKafka);
    C.reps = reps0;
  }
  S.success.kafkaDrain = await runReps('kafka backlog drain', drainKafka);

  // Fixed rate: 70 % of each path's measured saturation, for a few seconds.
  const sat = {
    noop: median(S.limits.noop.map((r) => r.rps)),
    sync: median(S.success.sync.map((r) => r.rps)),
    kafka: median(S.success.kafka.map((r) => r.rps)),
  };
  const atRate = async (label, port, pathFor, rate) => {
    const n = Math.ceil(rate * C.rateSeconds);
    const coupon = pathFor ? await newCoupon(Math.max(n, 100)) : undefined;
    const users = usersFor(n);
    const r = await load({ port, path: pathFor ? pathFor(coupon.id) : '/noop', amount: n, rate: Math.max(1, Math.round(rate)), connections: C.conns, bodyFor: (i) => ({ userId: users[i % n] }) });
    if (coupon) {
      await waitTerminal(coupon.id, 120_000);
      r.invariants = await checkCoupon(`fixed rate ${label}`, coupon.id);
    }
    return { rate: Math.round(rate), ...r };
  };
  S.fixedRate = {
    sync: await runReps('fixed rate sync @70%', () => atRate('sync', PORTS.coupon, (id) => `/coupons/${id}/claims`, 0.7 * sat.sync)),
    kafka: await runReps('fixed rate kafka @70%', () => atRate('kafka', PORTS.coupon, (id) => `/coupons/${id}/claims/async`, 0.7 * sat.kafka)),
    noop: await runReps('fixed rate no-op @70%', () => atRate('noop', PORTS.noop, undefined, 0.7 * sat.noop)),
  };

}

async function sagaScenarios(report) {
  const S = report.scenarios;
  // Saga: the four saga apps (notification only observes; it is not started so it does not
  // compete for the two cores with the services on the critical path).
  log('starting order, stock, payment, shipment');
  for (const app of ['order', 'stock', 'payment', 'shipment']) startProc(app, [...profileArgs(), `dist/apps/${app}/src/main.js`]);
  try {
    await Promise.all(['order', 'stock', 'payment', 'shipment'].map((a) => waitHealthy(a, PORTS[a])));
    await http('PUT', PORTS.stock, '/stock/BENCH-SKU', { available: 1_000_000, price: 100 }).catch(async (e) => {
      log(`PUT /stock failed (${e.message}); seeding the product with SQL`);
      await q("INSERT INTO stock_product (sku, available, reserved, price, updated_at) VALUES ('BENCH-SKU', 10000000, 0, 100, NOW(3)) ON DUPLICATE KEY UPDATE available = 10000000", []);
    });
    await sagaRun('warm-up', { amount: 50 });
    const saturation = await runReps('saga at saturation', async (i) => {
      const r = await sagaRun(`saturation #${i}`, { amount: C.orders });
      r.invariants = await sagaInvariants(`saturation #${i}`);
      return r;
    });
    const satRate = median(saturation.map((r) => r.completedPerSec));
    const fixed = {};
    for (const f of [0.3, 0.7]) {
      const rate = Math.max(1, Math.round(f * satRate));
      fixed[`${Math.round(f * 100)}%`] = await runReps(`saga at ${rate}/s`, async (i) => {
        const r = await sagaRun(`rate ${rate} #${i}`, { amount: Math.ceil(rate * C.rateSeconds), rate });
        r.invariants = await sagaInvariants(`rate ${rate} #${i}`);
        return { rate, ...r };
      });
    }
    S.saga = { saturation, fixedRate: fixed };
  } catch (error) {
    S.saga = { skipped: `saga apps not working: ${error.message.split('\n')[0]}` };
    failures.push(`saga: ${error.message.split('\n')[0]}`);
  }

}

/** Medians of the repetitions, and the issue's targets as ratios within this run. */
function summarize(r) {
  const S = r.scenarios;
  const m = (list, f) => (list ? median(list.map(f)) : NaN);
  const lat = (list, k) => ({ p50: m(list, (x) => x[k].p50), p95: m(list, (x) => x[k].p95), p99: m(list, (x) => x[k].p99), max: m(list, (x) => x[k].max) });
  const s = {
    contentionSyncRps: m(S.contention?.sync, (x) => x.rps),
    contentionSyncLatency: S.contention && lat(S.contention.sync, 'latencyMs'),
    contentionKafkaRps: m(S.contention?.kafka, (x) => x.rps),
    contentionKafkaLatency: S.contention && lat(S.contention.kafka, 'latencyMs'),
    syncClaimsPerSec: m(S.success?.sync, (x) => x.claimsPerSec),
    syncLatency: S.success && lat(S.success.sync, 'latencyMs'),
    kafkaAcceptedPerSec: m(S.success?.kafka, (x) => x.acceptedPerSec),
    kafkaAcceptLatency: S.success && lat(S.success.kafka, 'latencyMs'),
    kafkaIssuedPerSec: m(S.success?.kafka, (x) => x.issuedPerSec),
    kafkaDrainIssuedPerSec: m(S.success?.kafkaDrain, (x) => x.issuedPerSec),
    kafkaAcceptedWithoutConsumer: m(S.success?.kafkaDrain, (x) => x.acceptedPerSecWithoutConsumer),
    kafkaEndToEnd: S.success && lat(S.success.kafka, 'endToEndMs'),
    noopRps: m(S.limits?.noop, (x) => x.rps),
    noopLatency: S.limits && lat(S.limits.noop, 'latencyMs'),
    rawMysqlClaimsPerSec: m(S.limits?.rawMysqlGuardedClaim, (x) => x.claimsPerSec),
    rawInsertRowsPerSec: m(S.limits?.rawBatchedInsert, (x) => x.rowsPerSec),
    rawKafkaMsgsPerSec: m(S.limits?.rawKafkaProduce, (x) => x.messagesPerSec),
    fixedRate: S.fixedRate && Object.fromEntries(Object.entries(S.fixedRate).map(([k, v]) => [k, { rate: m(v, (x) => x.rate), p50: m(v, (x) => x.latencyMs.p50), p99: m(v, (x) => x.latencyMs.p99), serviceP99: m(v, (x) => x.serviceMs?.p99), rps: m(v, (x) => x.rps) }])),
  };
  if (S.saga && !S.saga.skipped) {
    s.sagaOrdersPerSec = m(S.saga.saturation, (x) => x.completedPerSec);
    s.sagaSaturation = lat(S.saga.saturation, 'endToEndMs');
    s.sagaFixed = Object.fromEntries(Object.entries(S.saga.fixedRate).map(([k, v]) => [k, { rate: m(v, (x) => x.rate), ordersPerSec: m(v, (x) => x.completedPerSec), ...lat(v, 'endToEndMs') }]));
  }
  const t = (name, measured, target, pass, unit = '') => ({ name, measured, target, pass: Number.isFinite(measured) ? pass : null, unit });
  const ratio = (a, b) => round(a / b, 2);
  const at70 = s.fixedRate?.kafka?.p99;
  const saga70 = s.sagaFixed?.['70%'];
  s.targets = [
    t('Kafka accept / no-op endpoint', ratio(s.kafkaAcceptedPerSec, s.noopRps), '>= 0.6x', ratio(s.kafkaAcceptedPerSec, s.noopRps) >= 0.6, 'x'),
    t('Kafka accept p99 at 70% saturation', at70, '<= 20 ms', at70 <= 20, 'ms'),
    t('Kafka issued/s draining a backlog / sync claims/s', ratio(s.kafkaDrainIssuedPerSec, s.syncClaimsPerSec), '>= 5x', ratio(s.kafkaDrainIssuedPerSec, s.syncClaimsPerSec) >= 5, 'x'),
    t('Kafka issued/s draining a backlog', s.kafkaDrainIssuedPerSec, '>= 5,000/s', s.kafkaDrainIssuedPerSec >= 5000, '/s'),
    t('Sync / raw mysql2 guarded claim', ratio(s.syncClaimsPerSec, s.rawMysqlClaimsPerSec), '>= 0.8x', ratio(s.syncClaimsPerSec, s.rawMysqlClaimsPerSec) >= 0.8, 'x'),
    t('Saga orders/s at saturation', s.sagaOrdersPerSec, '>= 500/s', s.sagaOrdersPerSec >= 500, '/s'),
    t('Saga p99 at 70% saturation', saga70?.p99, '<= 200 ms', saga70?.p99 <= 200, 'ms'),
    t('Whole bench duration', r.durationSec, '<= 600 s', r.durationSec <= 600, 's'),
  ];
  return s;
}

if (require.main === module) {
  const hardStop = setTimeout(() => {
    console.error('[bench] hard time limit (20 min) reached');
    stopAll().finally(() => process.exit(1));
  }, 20 * 60_000);
  hardStop.unref();
  process.on('SIGINT', () =>
    stopAll()
      .then(() => pool?.query(`DROP DATABASE IF EXISTS \`${DB_NAME}\``))
      .catch(() => undefined)
      .finally(() => process.exit(130)),
  );
  main().then(
    () => stopAll(),
    async (error) => {
      console.error('[bench] failed:', error);
      await stopAll();
      process.exitCode = 1;
    },
  );
}
module.exports = { main };
