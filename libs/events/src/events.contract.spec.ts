import { ALL_TOPICS, Topic } from './topic';
import { PayloadOf } from './event-map';
import { createEnvelope } from './envelope';
import { decodeEvent, encodeEvent, EventValidationError } from './codec';
import { newId } from './ids';

const orderId = newId();
const id2 = newId();
// One valid sample per topic; the type makes the compiler demand a sample for every new topic.
const SAMPLES: { [T in Topic]: PayloadOf<T> } = {
  [Topic.OrderCreated]: { orderId, kind: 'apple', count: 2, userId: 'u-1' },
  [Topic.StockReserved]: { orderId, sku: 'apple', count: 2, amount: 2400 },
  [Topic.StockRejected]: { orderId, sku: 'apple', count: 2, reason: 'OUT_OF_STOCK' },
  [Topic.StockReleased]: { orderId, sku: 'apple', count: 2 },
  [Topic.PaymentCompleted]: { orderId, paymentId: id2, amount: 2400 },
  [Topic.PaymentFailed]: { orderId, paymentId: id2, amount: 2_000_000, reason: 'LIMIT_EXCEEDED' },
  [Topic.ShipmentCompleted]: { orderId, shipmentId: id2, trackingNumber: 'TRK-1' },
  [Topic.CouponClaimRequested]: { claimId: id2, couponId: 7, userId: 9 },
  [Topic.CouponClaimIssued]: { claimId: id2, couponId: 7, userId: 9, vendorId: 3, value: 500, path: 'KAFKA' },
  [Topic.CouponClaimRejected]: { claimId: id2, couponId: 7, userId: 9, path: 'SYNC', reason: 'SOLD_OUT' },
};

describe('event contracts', () => {
  it.each(ALL_TOPICS)('%s round-trips through JSON and validation', (topic) => {
    const envelope = createEnvelope(topic, SAMPLES[topic], { producer: 'test', correlationId: 'corr-1' });
    const { key, value } = encodeEvent(envelope);
    expect(typeof key).toBe('string');
    expect(key.length).toBeGreaterThan(0);
    const decoded = decodeEvent(topic, Buffer.from(value));
    expect(decoded).toEqual(envelope);
    // plain JSON that any Kafka client can read
    expect(JSON.parse(value)).toMatchObject({ type: topic, correlationId: 'corr-1', payload: SAMPLES[topic] });
  });

  it('keys saga events by order and claims by coupon', () => {
    const order = encodeEvent(createEnvelope(Topic.StockReserved, SAMPLES[Topic.StockReserved], { producer: 't' }));
    expect(order.key).toBe(orderId);
    const claim = encodeEvent(
      createEnvelope(Topic.CouponClaimRequested, SAMPLES[Topic.CouponClaimRequested], { producer: 't' }),
    );
    expect(claim.key).toBe('7');
  });

  it('carries correlation and causation from the cause', () => {
    const cause = createEnvelope(Topic.OrderCreated, SAMPLES[Topic.OrderCreated], { producer: 'order' });
    const effect = createEnvelope(Topic.StockReserved, SAMPLES[Topic.StockReserved], { producer: 'stock', cause });
    expect(effect.correlationId).toBe(cause.eventId);
    expect(effect.causationId).toBe(cause.eventId);
  });

  it('refuses to publish an invalid payload, naming the field', () => {
    const bad = createEnvelope(Topic.OrderCreated, { ...SAMPLES[Topic.OrderCreated], count: 0 }, { producer: 't' });
    expect(() => encodeEvent(bad)).toThrow(/order\.created\.v1: invalid payload \(payload\.count: /);
  });

  const valid = () => createEnvelope(Topic.OrderCreated, SAMPLES[Topic.OrderCreated], { producer: 't' });
  it.each([
    ['an empty message', null, /empty message/],
    ['not JSON', '{oops', /not JSON/],
    ['a missing envelope field', JSON.stringify({ ...valid(), eventId: undefined }), /invalid envelope \(envelope\.eventId/],
    ['another topic\'s event', JSON.stringify({ ...valid(), type: Topic.StockReleased }), /envelope type is stock\.released\.v1/],
    ['a wrong payload type', JSON.stringify({ ...valid(), payload: { ...SAMPLES[Topic.OrderCreated], count: '2' } }), /payload\.count/],
    ['an unknown reason', JSON.stringify({ ...createEnvelope(Topic.StockRejected, SAMPLES[Topic.StockRejected], { producer: 't' }), payload: { ...SAMPLES[Topic.StockRejected], reason: 'NOPE' } }), /payload\.reason/],
  ])('rejects %s with a clear error', (_label, value, message) => {
    const topic = String(value).includes(Topic.StockRejected) ? Topic.StockRejected : Topic.OrderCreated;
    let error: unknown;
    try {
      decodeEvent(topic, value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as Error).message).toMatch(message);
  });

  it('makes time-ordered v7 ids', () => {
    const a = newId(1_700_000_000_000);
    const b = newId(1_700_000_000_001);
    expect(a < b).toBe(true);
    expect(a[14]).toBe('7');
  });
});
