import { outcomeOf, pathOf, percentiles, queuedOutcomes } from './race';

describe('coupon race', () => {
  it('sends claimant i down its path: mixed alternates, starting with sync', () => {
    expect([0, 1, 2, 3].map((i) => pathOf('mixed', i))).toEqual(['sync', 'queued', 'sync', 'queued']);
    expect(pathOf('sync', 1)).toBe('sync');
    expect(pathOf('queued', 0)).toBe('queued');
  });

  it('names each answer by its outcome, and anything else by status and code', () => {
    expect(outcomeOf('sync', { status: 201, body: { status: 'ISSUED' } })).toBe('ISSUED');
    expect(outcomeOf('queued', { status: 202, body: { status: 'PENDING' } })).toBe('PENDING');
    expect(outcomeOf('sync', { status: 409, body: { code: 'COUPON_SOLD_OUT' } })).toBe('SOLD_OUT');
    expect(outcomeOf('queued', { status: 409, body: { code: 'COUPON_ALREADY_CLAIMED' } })).toBe('ALREADY_CLAIMED');
    expect(outcomeOf('queued', { status: 503, body: { code: 'CLAIM_QUEUE_UNAVAILABLE' } })).toBe('HTTP 503 CLAIM_QUEUE_UNAVAILABLE');
  });

  it("takes the queued path's decisions from the audit: beyond the coupon's claims before the race and the sync path's issues", () => {
    const before = { ISSUED: 5 };
    const now = { ISSUED: 5 + 30 + 12, 'REJECTED:SOLD_OUT': 88, PENDING: 2 };
    expect(queuedOutcomes(before, now, 30)).toEqual({ ISSUED: 12, SOLD_OUT: 88, PENDING: 2 });
  });

  it('gives nearest-rank percentiles', () => {
    expect(percentiles([5, 1, 4, 2, 3])).toEqual({ p50: 3, p95: 5, p99: 5, max: 5 });
    expect(percentiles([])).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
