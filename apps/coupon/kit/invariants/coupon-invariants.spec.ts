import { checkCouponInvariants, claimsWithStatus, CouponFacts, describeFailures } from './coupon-invariants';

const held: CouponFacts = {
  total: 100,
  issued: 100,
  userCoupons: 100,
  distinctUsers: 100,
  vendorBalance: 100_000,
  vendorPayouts: 100_000,
  claims: { ISSUED: 100, 'REJECTED:SOLD_OUT': 900 },
};
const failed = (facts: CouponFacts, capReached = false) =>
  checkCouponInvariants(facts, { capReached })
    .filter((c) => !c.ok)
    .map((c) => c.name);

describe('checkCouponInvariants', () => {
  it('passes every check when the facts agree', () => {
    const checks = checkCouponInvariants(held, { capReached: true });
    expect(checks.map((c) => c.name)).toEqual([
      'issued <= cap',
      'issued == user_coupon rows',
      'no duplicate holder',
      'vendor balance == payouts',
      'every claim terminal',
      'ISSUED claims == issued',
      'cap reached',
    ]);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(describeFailures(checks)).toBe('');
  });

  it('names each violation with its figures', () => {
    expect(failed({ ...held, issued: 101, userCoupons: 101, distinctUsers: 101, claims: { ISSUED: 101 } })).toEqual([
      'issued <= cap',
    ]);
    expect(failed({ ...held, userCoupons: 99, distinctUsers: 99 })).toEqual(['issued == user_coupon rows']);
    expect(failed({ ...held, distinctUsers: 99 })).toEqual(['no duplicate holder']);
    expect(failed({ ...held, vendorBalance: 99_000 })).toEqual(['vendor balance == payouts']);
    expect(failed({ ...held, claims: { ISSUED: 100, PENDING: 3 } })).toEqual(['every claim terminal']);
    expect(failed({ ...held, claims: { ISSUED: 99 } })).toEqual(['ISSUED claims == issued']);
    const checks = checkCouponInvariants({ ...held, vendorBalance: 1 });
    expect(describeFailures(checks)).toBe('vendor balance == payouts (1 == 100000)');
  });

  it('checks the cap was reached only when asked', () => {
    const short = {
      ...held,
      issued: 90,
      userCoupons: 90,
      distinctUsers: 90,
      vendorBalance: 90_000,
      vendorPayouts: 90_000,
      claims: { ISSUED: 90 },
    };
    expect(failed(short)).toEqual([]);
    expect(failed(short, true)).toEqual(['cap reached']);
  });
});

describe('claimsWithStatus', () => {
  it('adds up the reasons of one status', () => {
    expect(
      claimsWithStatus({ ISSUED: 2, 'REJECTED:SOLD_OUT': 3, 'REJECTED:ALREADY_CLAIMED': 1, PENDING: 4 }, 'REJECTED'),
    ).toBe(4);
    expect(claimsWithStatus({}, 'PENDING')).toBe(0);
  });
});
