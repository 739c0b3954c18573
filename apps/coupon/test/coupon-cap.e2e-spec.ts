import { createTestStack, TestStack } from '../../../test/harness';
import { CouponModule } from '../src/coupon.module';
import { claim, countBy, expectInvariants, setupCoupon, waitTerminal } from './coupon-test-kit';

// Outcomes only: whatever the interleaving, the cap and the money must add up.
describe('the cap never breaks (real MySQL + Kafka, 6 partitions, concurrency 3, two instances)', () => {
  let stack: TestStack;
  let a: string;
  let b: string;
  // Each instance is a whole coupon app in this process, on its own free port (the harness listens on port 0).
  const instance = () => stack.start('coupon', CouponModule);
  const setup = (users: number) => setupCoupon(a, stack.operatorToken, users);

  beforeAll(async () => {
    stack = await createTestStack('coupon-cap', {
      COUPON_CLAIM_PARTITIONS: '6',
      COUPON_CONSUMER_CONCURRENCY: '3',
      DATABASE_POOL_SIZE: '10',
      // every claim reaches the claim logic, 50 of one user at once included (the limits have their own test)
      COUPON_CLAIM_RATE_PER_USER: '1000',
    });
    a = (await instance()).url;
    b = (await instance()).url;
  });
  afterAll(() => stack?.close());

  it('1,000 users claim a cap-100 coupon at once synchronously: 100 issued, 900 COUPON_SOLD_OUT', async () => {
    const { couponId, userIds } = await setup(1000);
    const started = Date.now();
    const results = await Promise.all(userIds.map((userId, i) => claim(i % 2 ? a : b, couponId, stack.token(userId))));
    console.log(`sync: 1000 claims in ${Date.now() - started} ms`);
    expect(countBy(results, (r) => `${r.status} ${r.body.code ?? r.body.status}`)).toEqual({ '201 ISSUED': 100, '409 COUPON_SOLD_OUT': 900 });
    const coupon = await expectInvariants(stack.prisma, couponId);
    expect(coupon.issued).toBe(100);
    expect(await stack.prisma.claim.count({ where: { couponId } })).toBe(100);
  });

  it('1,000 users claim through Kafka: 1,000 accepted, then exactly 100 ISSUED and 900 REJECTED SOLD_OUT', async () => {
    const { couponId, userIds } = await setup(1000);
    const started = Date.now();
    const results = await Promise.all(userIds.map((userId, i) => claim(i % 2 ? a : b, couponId, stack.token(userId), 'queued')));
    const accepted = Date.now();
    expect(countBy(results, (r) => `${r.status} ${r.body.status}`)).toEqual({ '202 PENDING': 1000 });
    await waitTerminal(stack.prisma, couponId);
    console.log(`kafka: 1000 accepted in ${accepted - started} ms, all terminal after ${Date.now() - started} ms`);
    const claims = await stack.prisma.claim.findMany({ where: { couponId } });
    expect(countBy(claims, (c) => `${c.status} ${c.reason ?? ''}`.trim())).toEqual({ ISSUED: 100, 'REJECTED SOLD_OUT': 900 });
    expect((await expectInvariants(stack.prisma, couponId)).issued).toBe(100);
  });

  it('both paths at once on the same coupon keep the cap', async () => {
    const { couponId, userIds } = await setup(600);
    const results = await Promise.all(userIds.map((userId, i) => claim(i % 2 ? a : b, couponId, stack.token(userId), i % 3 ? 'queued' : 'sync')));
    expect(results.every((r) => [201, 202, 409].includes(r.status))).toBe(true);
    await waitTerminal(stack.prisma, couponId);
    const coupon = await expectInvariants(stack.prisma, couponId);
    expect(coupon.issued).toBe(100);
    const syncIssued = results.filter((r) => r.status === 201).length;
    expect(await stack.prisma.claim.count({ where: { couponId, path: 'KAFKA', status: 'ISSUED' } })).toBe(100 - syncIssued);
  });

  it('one user claiming the same coupon 50 times at once via both paths gets it once', async () => {
    const { couponId, userIds } = await setup(1);
    const token = stack.token(userIds[0]);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => claim(i % 2 ? a : b, couponId, token, i % 2 ? 'queued' : 'sync')));
    expect(results.filter((r) => r.status === 201).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'COUPON_ALREADY_CLAIMED')).toBe(true);
    await waitTerminal(stack.prisma, couponId);
    const coupon = await expectInvariants(stack.prisma, couponId);
    expect(coupon.issued).toBe(1);
    const claims = await stack.prisma.claim.findMany({ where: { couponId } });
    expect(claims.filter((c) => c.status === 'REJECTED').every((c) => c.reason === 'ALREADY_CLAIMED')).toBe(true);
  });

  it('a consumer closed mid-flow and started again: every claim terminal, invariants hold', async () => {
    const { couponId, userIds } = await setup(800);
    const victim = await instance();
    const flowing = Promise.all(userIds.map((userId) => claim(victim.url, couponId, stack.token(userId), 'queued').catch(() => undefined)));
    // Close while requests and batches are in flight; the other instances take over its partitions.
    await new Promise((r) => setTimeout(r, 150));
    await victim.close();
    const results = await flowing;
    await instance();
    await waitTerminal(stack.prisma, couponId);
    const coupon = await expectInvariants(stack.prisma, couponId);
    expect(coupon.issued).toBeLessThanOrEqual(100);
    // Every 202 became a terminal claim; nothing was accepted and lost.
    const acceptedIds = results.flatMap((r) => (r?.status === 202 ? [r.body.claimId as string] : []));
    expect(await stack.prisma.claim.count({ where: { id: { in: acceptedIds }, status: { not: 'PENDING' } } })).toBe(acceptedIds.length);
  });
});
