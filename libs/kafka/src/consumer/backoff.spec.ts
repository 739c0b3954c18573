import { backoffMs } from './backoff';

describe('backoffMs', () => {
  const mid = () => 0.5; // no jitter

  it('doubles per attempt from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffMs(a, 100, 2000, mid))).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it('jitters within ±20 % and never passes the cap', () => {
    expect(backoffMs(1, 1000, 10_000, () => 0)).toBe(800);
    expect(backoffMs(1, 1000, 10_000, () => 1)).toBe(1200);
    expect(backoffMs(10, 1000, 5000, () => 1)).toBe(5000);
  });
});
