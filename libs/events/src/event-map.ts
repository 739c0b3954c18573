import { z } from 'zod';
import { Topic } from './topic';
import { OrderCreated } from './contracts/order';
import { StockRejected, StockReleased, StockReserved } from './contracts/stock';
import { PaymentCompleted, PaymentFailed } from './contracts/payment';
import { ShipmentCompleted } from './contracts/shipment';
import { CouponClaimIssued, CouponClaimRejected, CouponClaimRequested } from './contracts/coupon';

interface EventDefinition<S extends z.ZodType> {
  schema: S;
  /** The message key: the aggregate whose events must stay in order (one partition per key). */
  key: (payload: z.output<S>) => string;
}
const define = <S extends z.ZodType>(d: EventDefinition<S>) => d;
const byOrder = (p: { orderId: string }) => p.orderId;
const byCoupon = (p: { couponId: number }) => String(p.couponId);

/** The single map from topic to payload contract, used by publishers and consumers alike. */
export const EVENTS = {
  [Topic.OrderCreated]: define({ schema: OrderCreated, key: byOrder }),
  [Topic.StockReserved]: define({ schema: StockReserved, key: byOrder }),
  [Topic.StockRejected]: define({ schema: StockRejected, key: byOrder }),
  [Topic.StockReleased]: define({ schema: StockReleased, key: byOrder }),
  [Topic.PaymentCompleted]: define({ schema: PaymentCompleted, key: byOrder }),
  [Topic.PaymentFailed]: define({ schema: PaymentFailed, key: byOrder }),
  [Topic.ShipmentCompleted]: define({ schema: ShipmentCompleted, key: byOrder }),
  // Claims are keyed by coupon: all claims of one coupon land on one partition, in order,
  // so a consumer can apply them in batches under one lock of that coupon's row.
  [Topic.CouponClaimRequested]: define({ schema: CouponClaimRequested, key: byCoupon }),
  [Topic.CouponClaimIssued]: define({ schema: CouponClaimIssued, key: byCoupon }),
  [Topic.CouponClaimRejected]: define({ schema: CouponClaimRejected, key: byCoupon }),
} satisfies { [T in Topic]: EventDefinition<z.ZodType> };

export type PayloadOf<T extends Topic> = z.output<(typeof EVENTS)[T]['schema']>;
