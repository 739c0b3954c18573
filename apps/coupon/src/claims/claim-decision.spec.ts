import { BatchFacts, decideBatch, QueuedClaim } from './claim-decision';

const claim = (n: number, userId = n, couponId = 1): QueuedClaim => ({ claimId: `c${n}`, userId, couponId });

function facts(claims: QueuedClaim[], over: Partial<BatchFacts> = {}): BatchFacts {
  return {
    coupon: { id: 1, total: 100, issued: 0 },
    pendingIds: new Set(claims.map((c) => c.claimId)),
    existingUsers: new Set(claims.map((c) => c.userId)),
    holders: new Set(),
    ...over,
  };
}

const outcome = (claims: QueuedClaim[], f: BatchFacts) => {
  const d = decideBatch(claims, f);
  return {
    issued: d.issued.map((c) => c.claimId),
    rejected: Object.fromEntries(d.rejected.map((r) => [r.claimId, r.reason])),
  };
};

describe('decideBatch', () => {
  it('issues first come first served up to the remaining cap, then SOLD_OUT', () => {
    const claims = [1, 2, 3, 4, 5].map((n) => claim(n));
    const d = outcome(claims, facts(claims, { coupon: { id: 1, total: 10, issued: 7 } }));
    expect(d.issued).toEqual(['c1', 'c2', 'c3']);
    expect(d.rejected).toEqual({ c4: 'SOLD_OUT', c5: 'SOLD_OUT' });
  });

  it('stops exactly at the cap boundary (remaining 1, remaining 0)', () => {
    const claims = [claim(1), claim(2)];
    expect(outcome(claims, facts(claims, { coupon: { id: 1, total: 5, issued: 4 } })).issued).toEqual(['c1']);
    expect(outcome(claims, facts(claims, { coupon: { id: 1, total: 5, issued: 5 } })).issued).toEqual([]);
  });

  it('rejects a second claim of the same user in the batch as ALREADY_CLAIMED', () => {
    const claims = [claim(1, 7), claim(2, 8), claim(3, 7)];
    const d = outcome(claims, facts(claims));
    expect(d.issued).toEqual(['c1', 'c2']);
    expect(d.rejected).toEqual({ c3: 'ALREADY_CLAIMED' });
  });

  it('lets a same-user duplicate that lost to SOLD_OUT stay SOLD_OUT (the user holds nothing)', () => {
    const claims = [claim(1, 7), claim(2, 7)];
    const d = outcome(claims, facts(claims, { coupon: { id: 1, total: 1, issued: 1 } }));
    expect(d.rejected).toEqual({ c1: 'SOLD_OUT', c2: 'SOLD_OUT' });
  });

  it('rejects users who already hold the coupon, without using up the cap', () => {
    const claims = [claim(1, 7), claim(2, 8)];
    const d = outcome(claims, facts(claims, { holders: new Set([7]), coupon: { id: 1, total: 1, issued: 0 } }));
    expect(d.issued).toEqual(['c2']);
    expect(d.rejected).toEqual({ c1: 'ALREADY_CLAIMED' });
  });

  it('rejects unknown users and a missing coupon with their reasons', () => {
    const claims = [claim(1, 7), claim(2, 8)];
    expect(outcome(claims, facts(claims, { existingUsers: new Set([8]) })).rejected).toEqual({ c1: 'USER_NOT_FOUND' });
    expect(outcome(claims, facts(claims, { coupon: undefined })).rejected).toEqual({ c1: 'COUPON_NOT_FOUND', c2: 'COUPON_NOT_FOUND' });
  });

  it('skips claims that are no longer PENDING (redelivery) and repeated claim ids', () => {
    const claims = [claim(1), claim(2), claim(1)];
    const d = outcome(claims, facts(claims, { pendingIds: new Set(['c1']) }));
    expect(d).toEqual({ issued: ['c1'], rejected: {} });
  });

  it('never issues more than the remaining cap, whatever the batch', () => {
    const claims = Array.from({ length: 1000 }, (_, i) => claim(i, i % 300));
    const d = decideBatch(claims, facts(claims, { coupon: { id: 1, total: 100, issued: 37 } }));
    expect(d.issued).toHaveLength(63);
    expect(new Set(d.issued.map((c) => c.userId)).size).toBe(63);
    expect(d.issued.length + d.rejected.length).toBe(1000);
  });
});
