import { Logger } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ALL_TOPICS, createEnvelope, newId, PayloadOf, Topic } from '@app/events';
import { automock } from '../../../../test/automock';
import { AnyEnvelope, describeEvent } from './describe-event';
import { NotificationsConsumer } from './notifications.consumer';
import { NotificationsRepository } from './notifications.repository';
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
    const handlers = Object.values(Object.getOwnPropertyDescriptors(NotificationsConsumer.prototype)).map((d) => d.value as unknown);
    const patterns = handlers.flatMap((h) => (typeof h === 'function' ? ((Reflect.getMetadata(PATTERN_METADATA, h) as string[] | undefined) ?? []) : []));
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

  it('streams what it stored to the streams of that order, and nothing when the repository had stored it before', async () => {
    const repo = automock(NotificationsRepository);
    // the repository's insert answers false for an event id it already holds (a redelivery)
    repo.insert.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    const sut = new NotificationsService(repo);
    const streamed: unknown[] = [];
    const other: unknown[] = [];
    sut.stream({ orderId }).subscribe((m) => streamed.push(m.data));
    sut.stream({ orderId: newId() }).subscribe((m) => other.push(m.data));
    const e = envelope(Topic.OrderCreated);
    await sut.notify(e);
    await sut.notify(e);
    expect(repo.insert).toHaveBeenCalledTimes(2);
    expect(repo.insert).toHaveBeenLastCalledWith(expect.objectContaining({ eventId: e.eventId, orderId, status: 'PENDING', topic: Topic.OrderCreated }));
    expect(streamed).toEqual([expect.objectContaining({ eventId: e.eventId, orderId, status: 'PENDING', topic: Topic.OrderCreated })]);
    expect(other).toEqual([]);
    sut.onModuleDestroy();
  });
});
