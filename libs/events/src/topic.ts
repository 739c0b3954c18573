/**
 * Every Kafka topic of the system. Values are wire names: never rename one — a breaking change
 * to a payload is a new versioned topic (…v2) consumed beside the old one until it drains.
 * The physical name is KAFKA_TOPIC_PREFIX + value (see topicName in @app/kafka).
 */
export enum Topic {
  OrderCreated = 'order.created.v1',
  StockReserved = 'stock.reserved.v1',
  StockRejected = 'stock.rejected.v1',
  StockReleased = 'stock.released.v1',
  PaymentCompleted = 'payment.completed.v1',
  PaymentFailed = 'payment.failed.v1',
  ShipmentCompleted = 'shipment.completed.v1',
  CouponClaimRequested = 'coupon.claim-requested.v1',
  CouponClaimIssued = 'coupon.claim-issued.v1',
  CouponClaimRejected = 'coupon.claim-rejected.v1',
}

/** Where messages go that could not be parsed, validated or processed (headers say why). */
export const DEAD_LETTER_TOPIC = 'dead-letter.v1';

export const ALL_TOPICS: readonly Topic[] = Object.values(Topic);
