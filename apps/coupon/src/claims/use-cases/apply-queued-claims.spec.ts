import { createEnvelope, Envelope, newId, Topic } from '@app/events';
import { automock } from '../../../../../test/automock';
import { fakeUnitOfWork } from '../../../../../test/fake-unit-of-work';
import { ClaimsRepository, LockedCoupon } from '../claims.repository';
import { ApplyQueuedClaims } from './apply-queued-claims';

const coupon = (id: number, total: number): LockedCoupon => ({ id, total, issued: 0, value: 100, vendorId: 7 });
const requested = (couponId: number, userId: number): Envelope<Topic.CouponClaimRequested> => {
  const claimId = newId();
  return createEnvelope(Topic.CouponClaimRequested, { claimId, couponId, userId }, { producer: 'coupon', correlationId: claimId });
};

function setup(batchSize = 1000) {
  const { uow, emitted, tx } = fakeUnitOfWork();
  const claims = automock(ClaimsRepository);
  claims.lockCoupon.mockImplementation(async (_tx, id) => (id === 404 ? undefined : coupon(id, 1)));
  claims.lockPending.mockImplementation(async (_tx, _coupon, ids) => new Set(ids));
  claims.userFacts.mockImplementation(async (_tx, _coupon, list) => ({ existingUsers: new Set(list.map((c) => c.userId)), holders: new Set<number>() }));
  claims.addIssued.mockResolvedValue(true);
  return { sut: new ApplyQueuedClaims(uow, claims, { COUPON_BATCH_SIZE: batchSize }), uow, claims, emitted, tx };
}

describe('ApplyQueuedClaims', () => {
  it('applies a batch per coupon and COUPON_BATCH_SIZE claims per transaction, in offset order', async () => {
    const { sut, uow, claims, tx } = setup(2);
    const [a1, b1, a2, a3] = [requested(1, 11), requested(2, 21), requested(1, 12), requested(1, 13)];
    await sut.execute([a1, b1, a2, a3]);
    expect(uow.runForEach).toHaveBeenCalledTimes(3);
    expect(claims.lockPending.mock.calls.map((c) => [c[1], c[2]])).toEqual([
      [1, [a1.payload.claimId, a2.payload.claimId]],
      [1, [a3.payload.claimId]],
      [2, [b1.payload.claimId]],
    ]);
    // coupon 1 has one unit: the first claim in offset order gets it
    expect(claims.markIssued).toHaveBeenCalledWith(tx, [a1.payload.claimId]);
    expect(claims.markRejected).toHaveBeenCalledWith(tx, [{ ...a2.payload, reason: 'SOLD_OUT' }]);
  });

  it('causes every outcome event by its own CouponClaimRequested, whatever the batch size', async () => {
    const { sut, emitted } = setup();
    const events = [requested(1, 11), requested(1, 12), requested(404, 13)];
    await sut.execute(events);
    expect(emitted).toEqual([
      { topic: Topic.CouponClaimIssued, payload: { ...events[0].payload, vendorId: 7, value: 100, path: 'KAFKA' }, cause: events[0].eventId },
      { topic: Topic.CouponClaimRejected, payload: { ...events[1].payload, path: 'KAFKA', reason: 'SOLD_OUT' }, cause: events[1].eventId },
      { topic: Topic.CouponClaimRejected, payload: { ...events[2].payload, path: 'KAFKA', reason: 'COUPON_NOT_FOUND' }, cause: events[2].eventId },
    ]);
  });

  it('leaves claims that are no longer PENDING alone: a redelivery reads no facts and writes nothing', async () => {
    const { sut, claims, emitted } = setup();
    claims.lockPending.mockResolvedValue(new Set());
    await sut.execute([requested(1, 11)]);
    expect(claims.userFacts).not.toHaveBeenCalled();
    expect(claims.addIssued).not.toHaveBeenCalled();
    expect(claims.markRejected).not.toHaveBeenCalled();
    expect(emitted).toEqual([]);
  });

  it('rejects a missing coupon\'s claims as COUPON_NOT_FOUND without touching any coupon', async () => {
    const { sut, claims, tx } = setup();
    const e = requested(404, 11);
    await sut.execute([e]);
    expect(claims.insertUserCoupons).not.toHaveBeenCalled();
    expect(claims.markRejected).toHaveBeenCalledWith(tx, [{ ...e.payload, reason: 'COUPON_NOT_FOUND' }]);
  });
});
