import { Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { automock } from '../../../../test/automock';
import { fakeUnitOfWork } from '../../../../test/fake-unit-of-work';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

beforeAll(() => Logger.overrideLogger(false));

const paid = (): Envelope<Topic.PaymentCompleted> => ({
  eventId: newId(), type: Topic.PaymentCompleted, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, actor: null, producer: 't',
  payload: { orderId: newId(), paymentId: newId(), amount: 10 },
});

function setup(options?: Parameters<typeof fakeUnitOfWork>[0]) {
  const { uow, emitted, tx } = fakeUnitOfWork(options);
  const repo = automock(ShipmentsRepository);
  const sut = new ShipmentsService(uow, repo);
  return { sut, mocks: { uow, repo }, emitted, tx };
}

describe('ShipmentsService', () => {
  it('ships a batch in one insert, one shipment per PaymentCompleted, each with its own tracking number', async () => {
    const { sut, mocks, emitted, tx } = setup();
    const [a, b] = [paid(), paid()];
    await sut.prepareShipping([a, b]);
    expect(mocks.uow.runOnceBatch).toHaveBeenCalledWith('shipment-service', [a, b], expect.any(Function));
    expect(mocks.repo.create).toHaveBeenCalledTimes(1);
    const [calledWith, shipments] = mocks.repo.create.mock.calls[0];
    expect(calledWith).toBe(tx);
    expect(shipments.map((s) => s.orderId)).toEqual([a.payload.orderId, b.payload.orderId]);
    for (const s of shipments) expect(s.trackingNumber).toMatch(/^TRK-[0-9A-F]{12}$/);
    expect(new Set(shipments.map((s) => s.trackingNumber)).size).toBe(2);
    expect(emitted).toEqual(
      shipments.map((s, i) => ({ topic: Topic.ShipmentCompleted, payload: { orderId: s.orderId, shipmentId: s.id, trackingNumber: s.trackingNumber }, cause: [a, b][i].eventId })),
    );
  });

  it('ships only the orders the unit of work hands it as fresh, not the whole batch', async () => {
    const [before, e] = [paid(), paid()];
    const { sut, mocks, emitted } = setup({ applied: [before] });
    await sut.prepareShipping([before, e]);
    expect(mocks.repo.create).toHaveBeenCalledWith(expect.anything(), [expect.objectContaining({ orderId: e.payload.orderId })]);
    expect(emitted).toEqual([expect.objectContaining({ topic: Topic.ShipmentCompleted, cause: e.eventId })]);
  });
});
