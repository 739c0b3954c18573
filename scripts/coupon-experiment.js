#!/usr/bin/env node
// The concurrency experiment, one command: against a running stack (`npm start`), create a
// vendor, a cap-100 coupon and N users, fire N claims at once (sync, kafka or both), wait until
// every claim is terminal, then print the totals check with PASS/FAIL.
//
//   npm run experiment:coupon -- [--users 1000] [--mode sync|kafka|both] [--total 100] [--url http://127.0.0.1:3006]
//
// Run it several times, with two coupon instances, with COUPON_CONSUMER_CONCURRENCY=1 or 6:
// the numbers change, the check must not.

if (!require('./runtime').ensureRuntime()) return; // runs again on the project's Node 24

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const base = (args.url || process.env.COUPON_URL || `http://127.0.0.1:${process.env.COUPON_PORT || 3006}`).replace(/\/$/, '');
const users = Number(args.users || 1000);
const total = Number(args.total || 100);
const mode = args.mode || 'both';
if (!['sync', 'kafka', 'both'].includes(mode) || !(users > 0) || !(total > 0)) {
  console.error('usage: npm run experiment:coupon -- [--users N] [--mode sync|kafka|both] [--total N] [--url URL]');
  process.exit(2);
}

async function call(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function must(method, path, body) {
  const r = await call(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function inChunks(n, size, make) {
  const out = [];
  for (let i = 0; i < n; i += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
  return out;
}

const pathOf = (i) => (mode === 'sync' || (mode === 'both' && i % 2 === 0) ? 'claims' : 'claims/async');

async function main() {
  try {
    await must('GET', '/health');
  } catch (error) {
    console.error(`coupon app not reachable at ${base} (${error.message}); start the stack with \`npm start\``);
    process.exit(2);
  }
  const vendor = await must('POST', '/vendors/random');
  const coupon = await must('POST', '/coupons', { type: 'EXPERIMENT', value: 1000, total, vendorId: vendor.id });
  const userIds = (await inChunks(users, 100, () => must('POST', '/users/random'))).map((u) => u.id);
  console.log(`coupon ${coupon.id} (cap ${total}, payout 1000) for vendor ${vendor.id}; ${users} users; mode ${mode}`);

  const started = Date.now();
  const answers = await Promise.all(userIds.map((userId, i) => call('POST', `/coupons/${coupon.id}/${pathOf(i)}`, { userId })));
  const answered = Date.now() - started;
  const byAnswer = {};
  for (const a of answers) {
    const k = `${a.status} ${a.body?.code ?? a.body?.status}`;
    byAnswer[k] = (byAnswer[k] ?? 0) + 1;
  }
  console.log(`all ${users} answered in ${answered} ms:`, byAnswer);

  const deadline = Date.now() + 60_000;
  let audit;
  for (;;) {
    audit = await must('GET', `/coupons/${coupon.id}/audit`);
    if (!audit.claims.PENDING || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`all claims terminal after ${Date.now() - started} ms`);
  const syncIssued = byAnswer['201 ISSUED'] ?? 0;
  const checks = [
    ['issued <= total', audit.issued <= audit.total, `${audit.issued} <= ${audit.total}`],
    ['cap reached (more claimants than coupons)', users < total || audit.issued === audit.total, `${audit.issued}`],
    ['issued == user_coupons', audit.issued === audit.userCoupons, `${audit.issued} == ${audit.userCoupons}`],
    ['no user holds it twice', audit.duplicates === 0, `${audit.duplicates} duplicates`],
    ['vendor balance == payouts', audit.vendorBalance === audit.vendorPayouts, `${audit.vendorBalance} == ${audit.vendorPayouts}`],
    ['every claim terminal', !audit.claims.PENDING, `${audit.claims.PENDING ?? 0} pending`],
    ['ISSUED claims == issued', (audit.claims.ISSUED ?? 0) === audit.issued, `${audit.claims.ISSUED ?? 0} == ${audit.issued} (sync ${syncIssued})`],
  ];
  console.log('claims by status:', audit.claims);
  for (const [name, ok, detail] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(42)} ${detail}`);
  const failed = checks.filter((c) => !c[1]).length;
  console.log(failed === 0 ? 'PASS: the cap held' : `FAIL: ${failed} check(s) failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`experiment failed: ${error.message}`);
  process.exit(1);
});
