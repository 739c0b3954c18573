import { allocate, StockLevel } from './stock-allocation';

const levels = (entries: [string, number, number][]) => new Map<string, StockLevel>(entries.map(([sku, available, price]) => [sku, { available, price }]));
const order = (orderId: string, kind: string, count: number) => ({ orderId, kind, count });

describe('allocate', () => {
  it('serves orders in their order while units last, at count x price', () => {
    const out = allocate(levels([['apple', 5, 100]]), [order('o1', 'apple', 2), order('o2', 'apple', 3), order('o3', 'apple', 1)]);
    expect(out.reserved).toEqual([
      { orderId: 'o1', sku: 'apple', count: 2, amount: 200 },
      { orderId: 'o2', sku: 'apple', count: 3, amount: 300 },
    ]);
    expect(out.rejected).toEqual([{ orderId: 'o3', sku: 'apple', count: 1, reason: 'OUT_OF_STOCK' }]);
    expect(out.taken).toEqual(new Map([['apple', 5]]));
  });

  it('rejects an order larger than what is left but still serves a later smaller one', () => {
    const out = allocate(levels([['tv', 3, 1000]]), [order('big', 'tv', 4), order('small', 'tv', 3)]);
    expect(out.rejected.map((r) => r.orderId)).toEqual(['big']);
    expect(out.reserved.map((r) => r.orderId)).toEqual(['small']);
  });

  it('rejects an unknown sku as UNKNOWN_PRODUCT and keeps skus apart', () => {
    const out = allocate(levels([['apple', 1, 100], ['pear', 1, 50]]), [order('o1', 'kiwi', 1), order('o2', 'apple', 1), order('o3', 'pear', 1)]);
    expect(out.rejected).toEqual([{ orderId: 'o1', sku: 'kiwi', count: 1, reason: 'UNKNOWN_PRODUCT' }]);
    expect(out.taken).toEqual(new Map([['apple', 1], ['pear', 1]]));
  });

  it('does not modify the levels it was given', () => {
    const given = levels([['apple', 2, 100]]);
    allocate(given, [order('o1', 'apple', 2)]);
    expect(given.get('apple')).toEqual({ available: 2, price: 100 });
  });
});
