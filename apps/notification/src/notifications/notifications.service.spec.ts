import { Logger } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ALL_TOPICS, createEnvelope, newId, PayloadOf, Topic } from '@app/events';
import { AnyEnvelope, describeEvent } from './describe-event';
import { NotificationsConsumer } from './notifications.consumer';
import { NotificationsRepository, NotificationView } from './notifications.repository';
import { NotificationsService } from './notifications.service';

const orderId = newId();
const claimId = newId();
const SAMPLES: { [T in Topic]: PayloadOf<T> } = {
  [Topic.OrderCreated]: { orderId, kind: 'apple', count: 2, userId: 'u-1' },
  [Topic.StockReserved]: { orderId, sku: 'apple', count: 2, amount: 2400 },
  [Topic.StockRejected]: { orderId, sku: 'apple', count: 2, reason: 'OUT_OF_STOCK' },
  [Topic.StockReleased]: { orderId, sku: 'apple', count: 2 },
  [Topic.PaymentCompleted]: { orderId, paymentId: newId(), amount: 2400 },
  [Topic.PaymentFailed]: { orderId, paymentId: newId(), amount: 2_000_000, reason: 'LIMIT_EXCEEDED' },
  [Topic.ShipmentCompleted]: { orderId, shipmentId: newId(), trackingNumber: 'TRK-1' },
  [Topic.CouponClaimRequested]: { claimId, couponId: 7, userId: 9 },
  [Topic.CouponClaimIssued]: { claimId, couponId: 7, userId: 9, vendorId: 3, value: 500, path: 'KAFKA' },
  [Topic.CouponClaimRejected]: { claimId, couponId: 7, userId: 9, path: 'SYNC', reason: 'SOLD_OUT' },
};
const envelope = (t: Topic) => createEnvelope(t, SAMPLES[t], { producer: 'test' }) as AnyEnvelope;

beforeAll(() => Logger.overrideLogger(false));

describe('notifications', () => {
  it('subscribes to every topic of the Topic enum', () => {
    const proto = NotificationsConsumer.prototype as unknown as Record<string, unknown>;
    const patterns = Object.getOwnPropertyNames(proto).flatMap((name) => (Reflect.getMetadata(PATTERN_METADATA, proto[name] as object) as string[] | undefined) ?? []);
    expect(patterns.sort()).toEqual([...ALL_TOPICS].sort());
  });

  it.each(ALL_TOPICS)('describes %s in one line tied to its order or claim', (topic) => {
    const d = describeEvent(envelope(topic));
    expect(d.message).not.toMatch(/\n/);
    if (topic.startsWith('coupon.')) expect(d).toMatchObject({ claimId, couponId: 7, orderId: null });
    else expect(d).toMatchObject({ orderId, claimId: null });
  });

  it('reads like the saga', () => {
    expect(describeEvent(envelope(Topic.StockReserved)).message).toBe(`order ${orderId}: PENDING -> stock reserved (2 x apple = 2400)`);
    expect(describeEvent(envelope(Topic.PaymentFailed))).toMatchObject({ status: 'CANCELLED', message: `order ${orderId}: payment failed (2000000, LIMIT_EXCEEDED) -> CANCELLED` });
  });

  it('stores, logs and streams an event once; a redelivery changes nothing', async () => {
    const stored = new Set<string>();
    const repo = { insert: jest.fn(async (n: NotificationView) => !stored.has(n.eventId) && !!stored.add(n.eventId)), timeline: jest.fn() };
    const sut = new NotificationsService(repo as unknown as NotificationsRepository);
    const streamed: unknown[] = [];
    const other: unknown[] = [];
    sut.stream({ orderId }).subscribe((m) => streamed.push(m.data));
    sut.stream({ orderId: newId() }).subscribe((m) => other.push(m.data));
    const e = envelope(Topic.OrderCreated);
    await sut.notify(e);
    await sut.notify(e);
    expect(repo.insert).toHaveBeenCalledTimes(2);
    expect(streamed).toEqual([expect.objectContaining({ eventId: e.eventId, orderId, status: 'PENDING', topic: Topic.OrderCreated })]);
    expect(other).toEqual([]);
    sut.onModuleDestroy();
  });
});
