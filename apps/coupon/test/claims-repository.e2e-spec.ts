import { newId } from '@app/events';
import { Tx } from '@app/database';
import { createTestStack, TestStack } from '../../../test/harness';
import { QueuedClaim } from '../src/claims/claim-decision';
import { ClaimsRepository } from '../src/claims/claims.repository';

// The claim statements that matter, against real MySQL: the cap guard, the locks and facts a
// decision reads, and the unique keys behind "one coupon per user".
describe('ClaimsRepository on real MySQL', () => {
  let stack: TestStack;
  let repo: ClaimsRepository;
  let vendorId: number;
  const tx = <T>(work: (t: Tx) => Promise<T>) => stack.prisma.$transaction(work);

  const coupon = async (total: number) => (await stack.prisma.coupon.create({ data: { type: 'repo', value: 250, total, vendorId } })).id;
  const users = async (n: number) => Promise.all(Array.from({ length: n }, (_, i) => stack.prisma.user.create({ data: { name: `u${i}` } }).then((u) => u.id)));
  const issuedOf = async (id: number) => (await stack.prisma.coupon.findUniqueOrThrow({ where: { id } })).issued;

  beforeAll(async () => {
    stack = await createTestStack('claims-repository');
    repo = new ClaimsRepository(stack.prisma);
    vendorId = (await stack.prisma.vendor.create({ data: { name: 'v' } })).id;
  });
  afterAll(() => stack?.close());

  it('addIssued (the cap guard) adds within the cap and refuses past it, changing nothing then', async () => {
    const id = await coupon(3);
    expect(await tx((t) => repo.addIssued(t, id, 2))).toBe(true);
    expect(await tx((t) => repo.addIssued(t, id, 2))).toBe(false);
    expect(await issuedOf(id)).toBe(2);
    expect(await tx((t) => repo.addIssued(t, id, 1))).toBe(true);
    expect(await tx((t) => repo.addIssued(t, id, 1))).toBe(false);
    expect(await issuedOf(id)).toBe(3);
  });

  it('the cap guard holds across concurrent transactions: of 12 taking one unit of a cap-5 coupon, exactly 5 succeed', async () => {
    const id = await coupon(5);
    const results = await Promise.all(Array.from({ length: 12 }, () => tx((t) => repo.addIssued(t, id, 1))));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await issuedOf(id)).toBe(5);
  });

  it('lockCoupon reads the row a decision needs, and nothing for a coupon that does not exist', async () => {
    const id = await coupon(7);
    expect(await tx((t) => repo.lockCoupon(t, id))).toEqual({ id, total: 7, issued: 0, value: 250, vendorId });
    expect(await tx((t) => repo.lockCoupon(t, 2_000_000_000))).toBeUndefined();
  });

  it('lockPending returns the batch claims of that coupon still PENDING, not decided ones or another coupon\'s', async () => {
    const [a, b] = [await coupon(10), await coupon(10)];
    const [u] = await users(1);
    const rows = [
      { id: newId(), couponId: a, status: 'PENDING' as const },
      { id: newId(), couponId: a, status: 'ISSUED' as const },
      { id: newId(), couponId: a, status: 'REJECTED' as const },
      { id: newId(), couponId: b, status: 'PENDING' as const },
    ];
    await stack.prisma.claim.createMany({ data: rows.map((r) => ({ ...r, userId: u, path: 'KAFKA' as const })) });
    const pending = await tx((t) => repo.lockPending(t, a, rows.map((r) => r.id)));
    expect(pending).toEqual(new Set([rows[0].id]));
  });

  it('userFacts tells which users exist and which already hold the coupon', async () => {
    const id = await coupon(10);
    const [holder, other] = await users(2);
    const claim = (userId: number): QueuedClaim => ({ claimId: newId(), couponId: id, userId });
    await tx((t) => repo.insertUserCoupons(t, [claim(holder)]));
    const facts = await tx((t) => repo.userFacts(t, id, [claim(holder), claim(other), claim(2_000_000_000)]));
    expect(facts).toEqual({ existingUsers: new Set([holder, other]), holders: new Set([holder]) });
  });

  it('a second user coupon for one user and coupon is refused by the unique key, and its transaction leaves nothing', async () => {
    const id = await coupon(10);
    const [u] = await users(1);
    await tx((t) => repo.insertUserCoupons(t, [{ claimId: newId(), couponId: id, userId: u }]));
    await expect(
      tx(async (t) => {
        expect(await repo.addIssued(t, id, 1)).toBe(true);
        await repo.insertUserCoupons(t, [{ claimId: newId(), couponId: id, userId: u }]);
      }),
    ).rejects.toThrow(/Duplicate entry|Unique constraint/);
    expect(await stack.prisma.userCoupon.count({ where: { couponId: id } })).toBe(1);
    expect(await issuedOf(id)).toBe(0);
  });

  it('creditVendor, markIssued and markRejected write what the decision said', async () => {
    const id = await coupon(10);
    const [u1, u2, u3] = await users(3);
    const claims = [u1, u2, u3].map((userId) => ({ claimId: newId(), couponId: id, userId }));
    await repo.insertPending(claims);
    const balance = (await stack.prisma.vendor.findUniqueOrThrow({ where: { id: vendorId } })).balance;
    await tx(async (t) => {
      await repo.creditVendor(t, vendorId, 500n);
      await repo.markIssued(t, [claims[0].claimId]);
      await repo.markRejected(t, [
        { ...claims[1], reason: 'SOLD_OUT' },
        { ...claims[2], reason: 'ALREADY_CLAIMED' },
      ]);
    });
    expect((await stack.prisma.vendor.findUniqueOrThrow({ where: { id: vendorId } })).balance).toBe(balance + 500n);
    const rows = await stack.prisma.claim.findMany({ where: { couponId: id } });
    const byId = new Map(rows.map((r) => [r.id, [r.status, r.reason]]));
    expect(claims.map((c) => byId.get(c.claimId))).toEqual([
      ['ISSUED', null],
      ['REJECTED', 'SOLD_OUT'],
      ['REJECTED', 'ALREADY_CLAIMED'],
    ]);
  });
});
