import { PrismaService } from '@app/database';

/** Tiny JSON client over Node's fetch (keep-alive by default). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test client: each test reads the JSON shape it expects
export async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function setupCoupon(base: string, users: number, total = 100, value = 700) {
  const vendor = (await call(base, 'POST', '/vendors', { name: 'v' })).body;
  const coupon = (await call(base, 'POST', '/coupons', { type: 'WELCOME', value, total, vendorId: vendor.id })).body;
  const userIds: number[] = [];
  for (let i = 0; i < users; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, users - i) }, () => call(base, 'POST', '/users/random')));
    userIds.push(...batch.map((r) => r.body.id as number));
  }
  return { vendorId: vendor.id as number, couponId: coupon.id as number, userIds };
}

export const countBy = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});

/**
 * The invariants of the issue, read straight from the tables: issued <= total,
 * issued == user_coupon rows, no user twice, vendor balance == sum of payouts, and
 * (after waiting) no claim left PENDING.
 */
export async function expectInvariants(prisma: PrismaService, couponId: number) {
  const coupon = await prisma.coupon.findUniqueOrThrow({ where: { id: couponId }, include: { vendor: true } });
  const holders = await prisma.userCoupon.findMany({ where: { couponId }, select: { userId: true } });
  const payouts = await prisma.userCoupon.count({ where: { coupon: { vendorId: coupon.vendorId } } });
  const pending = await prisma.claim.count({ where: { couponId, status: 'PENDING' } });
  const issuedClaims = await prisma.claim.count({ where: { couponId, status: 'ISSUED' } });
  expect(coupon.issued).toBeLessThanOrEqual(coupon.total);
  expect(holders).toHaveLength(coupon.issued);
  expect(new Set(holders.map((h) => h.userId)).size).toBe(holders.length);
  expect(coupon.vendor.balance).toBe(BigInt(payouts * coupon.value));
  expect(issuedClaims).toBe(coupon.issued);
  expect(pending).toBe(0);
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
