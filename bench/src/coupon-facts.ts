import { checkCouponInvariants, describeFailures } from '../../apps/coupon/kit/invariants';
import { Bench } from './context';
import { Db } from './db';
import { http } from './http';
import { CouponCheck, Grouping } from './types';
import { round, sleep } from './util';

// What the bench reads and writes about coupons, straight from the tables (SQL), and the coupon
// invariants checked on those facts.

export interface CouponRow {
  id: number;
  value: number;
  total: number;
  vendorId: number;
}

/**
 * Inserts n users (5,000 per statement), signs a token for each (here, before anything is
 * measured: no signing on the claims' path) and hands both to the bench's user pool.
 */
export async function seedUsers(bench: Bench, n: number): Promise<void> {
  const { m: before } = await bench.db.row<{ m: number }>('SELECT COALESCE(MAX(id), 0) AS m FROM coupon_user');
  for (let i = 0; i < n; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, n - i) }, (_, j) => [`bench-${i + j}`]);
    await bench.db.exec('INSERT INTO coupon_user (name) VALUES ?', [rows]);
  }
  const ids = await bench.db.rows<{ id: number }>('SELECT id FROM coupon_user WHERE id > ? ORDER BY id', [before]);
  bench.users.set(
    ids.map((r) => r.id),
    ids.map((r) => bench.tokens.user(r.id)),
  );
}

/** A coupon of a new vendor, through the coupon app's API, as the operator. */
export async function newCoupon(bench: Bench, total: number, value = 1000): Promise<CouponRow> {
  const port = bench.config.ports.coupon;
  const { operator } = bench.tokens;
  const vendor = await http<{ id: number }>('POST', port, '/vendors/random', undefined, operator);
  return http<CouponRow>('POST', port, '/coupons', { type: 'BENCH', value, total, vendorId: vendor.id }, operator);
}

/** Waits until no claim of the coupon is PENDING or the time is up; returns how many still are. */
export async function waitTerminal(db: Db, couponId: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { n } = await db.row<{ n: number }>(
      "SELECT COUNT(*) AS n FROM coupon_claim WHERE coupon_id = ? AND status = 'PENDING'",
      [couponId],
    );
    if (Number(n) === 0 || Date.now() > deadline) return Number(n);
    await sleep(100);
  }
}

/**
 * The coupon invariants (@app/platform/invariants) on facts read with SQL; a violation is recorded
 * as a failure of the run. `capReached`: more claimants than coupons, so the cap must be reached.
 */
export async function checkCoupon(
  bench: Bench,
  label: string,
  couponId: number,
  options: { capReached?: boolean } = {},
): Promise<CouponCheck> {
  const { db } = bench;
  const c = await db.row<{ total: number; issued: number; vendorId: number }>(
    'SELECT total, issued, vendor_id AS vendorId FROM coupon_coupon WHERE id = ?',
    [couponId],
  );
  const holders = await db.row<{ n: number; d: number }>(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS d FROM coupon_user_coupon WHERE coupon_id = ?',
    [couponId],
  );
  const vendor = await db.row<{ balance: number | string; payouts: number | string }>(
    `SELECT v.balance, (SELECT COALESCE(SUM(c.value), 0) FROM coupon_user_coupon u JOIN coupon_coupon c ON c.id = u.coupon_id WHERE c.vendor_id = v.id) AS payouts
     FROM coupon_vendor v WHERE v.id = ?`,
    [c.vendorId],
  );
  const byStatus = await db.rows<{ status: string; n: number }>(
    'SELECT status, COUNT(*) AS n FROM coupon_claim WHERE coupon_id = ? GROUP BY status',
    [couponId],
  );
  const claims = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
  const facts = {
    total: Number(c.total),
    issued: Number(c.issued),
    userCoupons: Number(holders.n),
    distinctUsers: Number(holders.d),
    vendorBalance: Number(vendor.balance),
    vendorPayouts: Number(vendor.payouts),
    claims,
  };
  const checks = checkCouponInvariants(facts, options);
  const failed = describeFailures(checks);
  if (failed) bench.failures.push(`${label}: invariant violated: ${failed}`);
  return {
    ok: failed === '',
    checks: Object.fromEntries(checks.map((k) => [k.name, k.ok])),
    failed,
    issued: facts.issued,
    total: facts.total,
    claims,
  };
}

/**
 * Issued/s of a coupon's ISSUED claims from their updated_at: how many, over the time from the
 * first to the last write. The drain and its limit are both measured this way.
 */
export async function issuedRate(db: Db, couponId: number): Promise<{ issued: number; issuedPerSec: number }> {
  const w = await db.row<{ n: number; us: number | null }>(
    "SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(updated_at), MAX(updated_at)) AS us FROM coupon_claim WHERE coupon_id = ? AND status = 'ISSUED'",
    [couponId],
  );
  const issued = Number(w.n);
  return { issued, issuedPerSec: round(issued / Math.max(0.001, Number(w.us ?? 0) / 1e6), 1) };
}

/**
 * How a path grouped a coupon's ISSUED claims into transactions: every path writes one
 * updated_at per transaction (taken once per statement), so distinct values count transactions.
 */
export async function grouping(db: Db, couponId: number): Promise<Grouping> {
  const g = await db.row<{ n: number; t: number }>(
    "SELECT COUNT(*) AS n, COUNT(DISTINCT updated_at) AS t FROM coupon_claim WHERE coupon_id = ? AND status = 'ISSUED'",
    [couponId],
  );
  const transactions = Number(g.t);
  return { transactions, claimsPerTransaction: round(Number(g.n) / Math.max(1, transactions), 1) };
}
