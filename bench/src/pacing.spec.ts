import { Pacing } from './pacing';

describe('Pacing', () => {
  it('spreads the requests evenly from the start', () => {
    const p = new Pacing(1000, 200, 10);
    expect(p.interval).toBe(5);
    expect([0, 1, 2, 9].map((i) => p.dueAt(i))).toEqual([1000, 1005, 1010, 1045]);
  });

  it('counts the requests due at a moment, never more than the amount', () => {
    const p = new Pacing(1000, 200, 10);
    expect(p.dueBy(999)).toBe(0);
    expect(p.dueBy(1000)).toBe(1);
    expect(p.dueBy(1004.9)).toBe(1);
    expect(p.dueBy(1005)).toBe(2);
    expect(p.dueBy(1_000_000)).toBe(10);
  });

  it('says how long until a request is due', () => {
    const p = new Pacing(0, 4, 4);
    expect(p.waitFor(1, 100)).toBe(150);
    expect(p.waitFor(1, 300)).toBe(0);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new Pacing(0, 0, 1)).toThrow('rate must be positive');
  });
});
