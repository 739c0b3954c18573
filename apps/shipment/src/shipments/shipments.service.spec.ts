import { Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { fakeUnitOfWork } from '../../../../test/fake-unit-of-work';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

beforeAll(() => Logger.overrideLogger(false));

const paid = (): Envelope<Topic.PaymentCompleted> => ({
  eventId: newId(), type: Topic.PaymentCompleted, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, producer: 't',
  payload: { orderId: newId(), paymentId: newId(), amount: 10 },
});

describe('ShipmentsService', () => {
  it('ships a batch in one insert, once per PaymentCompleted, each with its own tracking number', async () => {
    const { uow, asUnitOfWork, emitted, tx } = fakeUnitOfWork();
    const repo = { create: jest.fn(), byOrder: jest.fn() };
    const sut = new ShipmentsService(asUnitOfWork, repo as unknown as ShipmentsRepository);
    const [a, b] = [paid(), paid()];
    await sut.prepareShipping([a, b]);
    await sut.prepareShipping([a]);
    expect(uow.runOnceBatch).toHaveBeenCalledWith('shipment-service', [a, b], expect.any(Function));
    expect(repo.create).toHaveBeenCalledTimes(1);
    const shipments = repo.create.mock.calls[0][1] as { id: string; orderId: string; trackingNumber: string }[];
    expect(repo.create.mock.calls[0][0]).toBe(tx);
    expect(shipments.map((s) => s.orderId)).toEqual([a.payload.orderId, b.payload.orderId]);
    for (const s of shipments) expect(s.trackingNumber).toMatch(/^TRK-[0-9A-F]{12}$/);
    expect(new Set(shipments.map((s) => s.trackingNumber)).size).toBe(2);
    expect(emitted).toEqual(
      shipments.map((s, i) => ({ topic: Topic.ShipmentCompleted, payload: { orderId: s.orderId, shipmentId: s.id, trackingNumber: s.trackingNumber }, cause: [a, b][i].eventId })),
    );
  });
});
