import { PrismaService } from '@app/database';
import { checkCouponInvariants, describeFailures } from '../kit/invariants';

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>` (a stack's `token(userId)` or `operatorToken`). */
  token?: string;
}

/** Tiny JSON client over Node's fetch (keep-alive by default). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test client: each test reads the JSON shape it expects
export async function call(base: string, method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * A claim of the coupon by the user whose token it is (the claiming user is the token's subject;
 * the body is empty): `sync` is POST /coupons/:id/claims, `queued` POST /coupons/:id/claims/async.
 */
export const claim = (base: string, couponId: number, token: string, path: 'sync' | 'queued' = 'sync') =>
  call(base, 'POST', `/coupons/${couponId}/claims${path === 'queued' ? '/async' : ''}`, undefined, { token });

/** A vendor and a coupon (created with the operator's token) and `users` new users (sign-up is public). */
export async function setupCoupon(base: string, operatorToken: string, users: number, total = 100, value = 700) {
  const created = async (path: string, body: unknown) => {
    const res = await call(base, 'POST', path, body, { token: operatorToken });
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { id: number };
  };
  const vendor = await created('/vendors', { name: 'v' });
  const coupon = await created('/coupons', { type: 'WELCOME', value, total, vendorId: vendor.id });
  const userIds: number[] = [];
  for (let i = 0; i < users; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, users - i) }, () => call(base, 'POST', '/users/random')));
    userIds.push(...batch.map((r) => r.body.id as number));
  }
  return { vendorId: vendor.id, couponId: coupon.id, userIds };
}

export const countBy = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});

/**
 * The coupon invariants (apps/coupon/kit/invariants, the one implementation the bench, the fault kit
 * and the experiment use too) on facts read straight from the tables with Prisma. Call it once the
 * claims settled: a PENDING claim is a violation.
 */
export async function expectInvariants(prisma: PrismaService, couponId: number) {
  const coupon = await prisma.coupon.findUniqueOrThrow({ where: { id: couponId }, include: { vendor: true } });
  const holders = await prisma.userCoupon.findMany({ where: { couponId }, select: { userId: true } });
  const vendorCoupons = await prisma.coupon.findMany({ where: { vendorId: coupon.vendorId }, select: { value: true, _count: { select: { holders: true } } } });
  const claims = await prisma.claim.groupBy({ by: ['status'], where: { couponId }, _count: { _all: true } });
  const checks = checkCouponInvariants({
    total: coupon.total,
    issued: coupon.issued,
    userCoupons: holders.length,
    distinctUsers: new Set(holders.map((h) => h.userId)).size,
    vendorBalance: Number(coupon.vendor.balance),
    vendorPayouts: vendorCoupons.reduce((sum, c) => sum + c.value * c._count.holders, 0),
    claims: Object.fromEntries(claims.map((c) => [c.status, c._count._all])),
  });
  expect(describeFailures(checks)).toBe('');
  return coupon;
}

/** Waits until no claim of the coupon is PENDING (the queued path's bounded wait). */
export async function waitTerminal(prisma: PrismaService, couponId: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await prisma.claim.count({ where: { couponId, status: 'PENDING' } });
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} claims of coupon ${couponId} still PENDING after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
