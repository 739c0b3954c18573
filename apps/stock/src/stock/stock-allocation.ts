import { PayloadOf, Topic } from '@app/events';

/** A product as locked for a batch: units left and unit price. */
export interface StockLevel {
  available: number;
  price: number;
}

type Demand = Pick<PayloadOf<Topic.OrderCreated>, 'orderId' | 'kind' | 'count'>;
export type Reservation = PayloadOf<Topic.StockReserved>;
export type Rejection = PayloadOf<Topic.StockRejected>;

export interface Allocation {
  reserved: Reservation[];
  rejected: Rejection[];
  /** Units taken per sku: what the guarded UPDATE must subtract. */
  taken: Map<string, number>;
}

/**
 * checkStock for a batch, in memory, over rows the caller has locked: orders are served in their
 * order while units last (first come, first served); an order for more than is left is rejected
 * OUT_OF_STOCK even if a later, smaller one still fits; an unknown sku is UNKNOWN_PRODUCT.
 * `levels` is not modified.
 */
export function allocate(levels: ReadonlyMap<string, StockLevel>, demands: Demand[]): Allocation {
  const left = new Map([...levels].map(([sku, l]) => [sku, l.available]));
  const out: Allocation = { reserved: [], rejected: [], taken: new Map() };
  for (const { orderId, kind: sku, count } of demands) {
    const level = levels.get(sku);
    const available = left.get(sku) ?? 0;
    if (!level || available < count) {
      out.rejected.push({ orderId, sku, count, reason: level ? 'OUT_OF_STOCK' : 'UNKNOWN_PRODUCT' });
      continue;
    }
    left.set(sku, available - count);
    out.taken.set(sku, (out.taken.get(sku) ?? 0) + count);
    out.reserved.push({ orderId, sku, count, amount: count * level.price });
  }
  return out;
}
