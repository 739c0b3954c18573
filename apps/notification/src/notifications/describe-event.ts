import { assertUnreachable } from '@app/platform';
import { EnvelopeOf, Topic } from '@app/events';

/** Any event, as a union the compiler can narrow by `type`. */
export type AnyEnvelope = EnvelopeOf<Topic>;

export interface Described {
  orderId: string | null;
  claimId: string | null;
  couponId: number | null;
  /** The saga (or claim) step this event stands for. */
  status: string;
  /** One readable line, as logged and shown in the timeline. */
  message: string;
}

const order = (orderId: string, status: string, message: string): Described => ({
  orderId,
  claimId: null,
  couponId: null,
  status,
  message: `order ${orderId}: ${message}`,
});

const claim = (p: { claimId: string; couponId: number }, status: string, message: string): Described => ({
  orderId: null,
  claimId: p.claimId,
  couponId: p.couponId,
  status,
  message: `claim ${p.claimId}: ${message}`,
});

/** The notification line of every event of the system (exhaustive: a new topic needs a line). */
export function describeEvent(e: AnyEnvelope): Described {
  switch (e.type) {
    case Topic.OrderCreated: {
      const p = e.payload;
      return order(p.orderId, 'PENDING', `created (${p.count} x ${p.kind}${p.userId ? ` for ${p.userId}` : ''}) -> PENDING`);
    }
    case Topic.StockReserved: {
      const p = e.payload;
      return order(p.orderId, 'STOCK_RESERVED', `PENDING -> stock reserved (${p.count} x ${p.sku} = ${p.amount})`);
    }
    case Topic.StockRejected: {
      const p = e.payload;
      return order(p.orderId, 'REJECTED', `stock rejected (${p.count} x ${p.sku}, ${p.reason}) -> REJECTED`);
    }
    case Topic.StockReleased: {
      const p = e.payload;
      return order(p.orderId, 'STOCK_RELEASED', `stock released (${p.count} x ${p.sku} back on the shelf)`);
    }
    case Topic.PaymentCompleted:
      return order(e.payload.orderId, 'PAID', `PENDING -> payment completed (${e.payload.amount})`);
    case Topic.PaymentFailed: {
      const p = e.payload;
      return order(p.orderId, 'CANCELLED', `payment failed (${p.amount}, ${p.reason}) -> CANCELLED`);
    }
    case Topic.ShipmentCompleted:
      return order(e.payload.orderId, 'COMPLETED', `shipped (tracking ${e.payload.trackingNumber}) -> COMPLETED`);
    case Topic.CouponClaimRequested: {
      const p = e.payload;
      return claim(p, 'REQUESTED', `user ${p.userId} asked for coupon ${p.couponId}`);
    }
    case Topic.CouponClaimIssued: {
      const p = e.payload;
      return claim(p, 'ISSUED', `coupon ${p.couponId} issued to user ${p.userId} (${p.path}; vendor ${p.vendorId} +${p.value})`);
    }
    case Topic.CouponClaimRejected: {
      const p = e.payload;
      return claim(p, 'REJECTED', `coupon ${p.couponId} refused to user ${p.userId} (${p.path}; ${p.reason})`);
    }
    default:
      return assertUnreachable(e);
  }
}
