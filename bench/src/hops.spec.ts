import { SAGA_HOPS, spread } from './hops';

describe('spread', () => {
  it('gives nearest-rank percentiles and the mean of a sample', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(spread(xs)).toEqual({ p50: 50, p99: 99, mean: 50.5, count: 100 });
    expect(spread([7])).toEqual({ p50: 7, p99: 7, mean: 7, count: 1 });
  });

  it('ignores what is not a number and says when nothing was measured', () => {
    expect(spread([NaN, 3, Infinity, 1])).toEqual({ p50: 1, p99: 3, mean: 2, count: 2 });
    expect(spread([])).toEqual({ p50: NaN, p99: NaN, mean: NaN, count: 0 });
  });
});

describe('SAGA_HOPS', () => {
  it('walks the saga once: every consuming service has a delivery and an apply, every producer a commit', () => {
    const names = SAGA_HOPS.map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
    for (const service of ['stock', 'payment', 'shipment', 'order']) {
      expect(names).toContain(`${service}: delivery`);
      expect(names).toContain(`${service}: apply`);
    }
    for (const producer of ['order', 'stock', 'payment', 'shipment'])
      expect(names).toContain(`${producer}: commit + relay`);
    // consecutive segments share their marks: each starts where the previous one ended
    for (let i = 1; i < SAGA_HOPS.length; i++) {
      expect(SAGA_HOPS[i].covers.split(' -> ')[0]).toBe(SAGA_HOPS[i - 1].covers.split(' -> ')[1]);
    }
  });
});
