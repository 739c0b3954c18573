import { z } from 'zod';

/**
 * What the coupon invariants are checked against: one coupon's counts, each gathered by its caller
 * its own way (SQL in the bench, Prisma in the e2e kit, GET /coupons/:id/audit in the experiment
 * and the fault kit). The audit endpoint's answer (CouponAudit) has this shape.
 */
export interface CouponFacts {
  /** The cap. */
  total: number;
  /** The coupon's counter. */
  issued: number;
  /** coupon_user_coupon rows of the coupon. */
  userCoupons: number;
  /** Distinct users among those rows. */
  distinctUsers: number;
  /** The vendor's balance (minor units). */
  vendorBalance: number;
  /** The value of every user coupon of the vendor's coupons, summed (minor units). */
  vendorPayouts: number;
  /** The coupon's claims by status, keyed `STATUS` or `STATUS:REASON` (as the audit gives them). */
  claims: Readonly<Record<string, number>>;
}

export interface CouponInvariantOptions {
  /** There were more claimants than coupons, so the cap must have been reached. */
  capReached?: boolean;
}

export const CouponInvariant = z.enum([
  'issued <= cap',
  'issued == user_coupon rows',
  'no duplicate holder',
  'vendor balance == payouts',
  'every claim terminal',
  'ISSUED claims == issued',
  'cap reached',
]);
export type CouponInvariant = z.infer<typeof CouponInvariant>;

/** One invariant checked (the console's race shows them, so they have a schema). */
export const InvariantCheck = z.object({
  name: CouponInvariant,
  ok: z.boolean(),
  detail: z.string().describe('The figures compared, e.g. `100 <= 100`.'),
});
export type InvariantCheck = z.infer<typeof InvariantCheck>;

/** Claims of one status, whatever their reason. */
export function claimsWithStatus(claims: Readonly<Record<string, number>>, status: string): number {
  return Object.entries(claims).reduce((n, [key, count]) => (key.split(':')[0] === status ? n + count : n), 0);
}

/**
 * The coupon invariants (README, Reliability), checked once the coupon's claims have settled: the cap
 * held, every issued coupon has exactly one holder row and no user holds it twice, the vendor was
 * paid exactly for what was handed out, no claim is left PENDING and the ISSUED claims are the
 * issued coupons. Pure: the caller gathers the facts.
 */
export function checkCouponInvariants(facts: CouponFacts, options: CouponInvariantOptions = {}): InvariantCheck[] {
  const { total, issued, userCoupons, distinctUsers, vendorBalance, vendorPayouts } = facts;
  const pending = claimsWithStatus(facts.claims, 'PENDING');
  const issuedClaims = claimsWithStatus(facts.claims, 'ISSUED');
  const checks: InvariantCheck[] = [
    { name: 'issued <= cap', ok: issued <= total, detail: `${issued} <= ${total}` },
    { name: 'issued == user_coupon rows', ok: issued === userCoupons, detail: `${issued} == ${userCoupons}` },
    {
      name: 'no duplicate holder',
      ok: userCoupons === distinctUsers,
      detail: `${userCoupons - distinctUsers} duplicates`,
    },
    {
      name: 'vendor balance == payouts',
      ok: vendorBalance === vendorPayouts,
      detail: `${vendorBalance} == ${vendorPayouts}`,
    },
    { name: 'every claim terminal', ok: pending === 0, detail: `${pending} pending` },
    { name: 'ISSUED claims == issued', ok: issuedClaims === issued, detail: `${issuedClaims} == ${issued}` },
  ];
  if (options.capReached) checks.push({ name: 'cap reached', ok: issued === total, detail: `${issued} == ${total}` });
  return checks;
}

/** The failed checks as one line, e.g. `issued <= cap (101 <= 100); ...`, or '' when all held. */
export function describeFailures(checks: readonly InvariantCheck[]): string {
  return checks
    .filter((c) => !c.ok)
    .map((c) => `${c.name} (${c.detail})`)
    .join('; ');
}
