import { Topic } from '@app/events';
import { automock } from '../../../../../test/automock';
import { fakeUnitOfWork } from '../../../../../test/fake-unit-of-work';
import { CouponNotFoundError } from '../../coupons/coupons.errors';
import { UserNotFoundError } from '../../users/users.errors';
import { ClaimsRepository, LockedCoupon } from '../claims.repository';
import { CouponAlreadyClaimedError, CouponSoldOutError } from '../claims.errors';
import { ClaimSync } from './claim-sync';

const COUPON: LockedCoupon = { id: 1, total: 2, issued: 0, value: 500, vendorId: 7 };

// coupon: null for a coupon that does not exist
function setup({ coupon = COUPON as LockedCoupon | null, users = [11, 12, 13], holders = [] as number[] } = {}) {
  const { uow, emitted, tx } = fakeUnitOfWork();
  const claims = automock(ClaimsRepository);
  claims.lockCoupon.mockResolvedValue(coupon ?? undefined);
  claims.userFacts.mockResolvedValue({ existingUsers: new Set(users), holders: new Set(holders) });
  claims.addIssued.mockResolvedValue(true);
  return { sut: new ClaimSync(uow, claims), uow, claims, emitted, tx };
}

describe('ClaimSync', () => {
  it('decides concurrent claims on one coupon in one transaction, first come first served, each issued event correlated by its own claim', async () => {
    const { sut, uow, claims, emitted, tx } = setup();
    const answers = await Promise.allSettled([11, 12, 13].map((userId) => sut.execute(1, userId)));

    expect(uow.runForEach).toHaveBeenCalledTimes(1);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const issued = answers.slice(0, 2).map((a) => (a as PromiseFulfilledResult<{ claimId: string; status: string }>).value);
    expect(issued.map((a) => a.status)).toEqual(['ISSUED', 'ISSUED']);
    expect((answers[2] as PromiseRejectedResult).reason).toBeInstanceOf(CouponSoldOutError);
    const written = issued.map((a, i) => ({ claimId: a.claimId, couponId: 1, userId: 11 + i }));
    expect(claims.insertIssued).toHaveBeenCalledWith(tx, written);
    expect(claims.insertUserCoupons).toHaveBeenCalledWith(tx, written);
    expect(claims.addIssued).toHaveBeenCalledWith(tx, 1, 2);
    expect(claims.creditVendor).toHaveBeenCalledWith(tx, 7, 1000n);
    expect(emitted).toEqual(
      written.map((c) => ({ topic: Topic.CouponClaimIssued, payload: { ...c, vendorId: 7, value: 500, path: 'SYNC' }, correlationId: c.claimId, actor: String(c.userId) })),
    );
  });

  it('answers the burst behind a SOLD_OUT from memory, without a transaction', async () => {
    const { sut, uow } = setup({ coupon: { ...COUPON, issued: 2 } });
    await expect(sut.execute(1, 11)).rejects.toBeInstanceOf(CouponSoldOutError);
    await expect(sut.execute(1, 12)).rejects.toBeInstanceOf(CouponSoldOutError);
    expect(uow.runForEach).toHaveBeenCalledTimes(1);
  });

  it('answers each rejection with its own error and writes nothing for it', async () => {
    const missing = setup({ coupon: null });
    await expect(missing.sut.execute(9, 11)).rejects.toBeInstanceOf(CouponNotFoundError);
    expect(missing.claims.userFacts).not.toHaveBeenCalled();

    const { sut, claims, emitted } = setup({ users: [11], holders: [11] });
    await expect(sut.execute(1, 11)).rejects.toBeInstanceOf(CouponAlreadyClaimedError);
    await expect(sut.execute(1, 99)).rejects.toBeInstanceOf(UserNotFoundError);
    expect(claims.insertIssued).not.toHaveBeenCalled();
    expect(claims.addIssued).not.toHaveBeenCalled();
    expect(emitted).toEqual([]);
  });

  it('fails the whole group when the cap guard refuses what the decision issued', async () => {
    const { sut, claims } = setup();
    claims.addIssued.mockResolvedValue(false);
    await expect(sut.execute(1, 11)).rejects.toThrow(/cap guard refused 1 claims of coupon 1/);
    expect(claims.creditVendor).not.toHaveBeenCalled();
  });
});
