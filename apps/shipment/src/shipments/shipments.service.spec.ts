import { Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { Tx, UnitOfWork } from '@app/database';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

beforeAll(() => Logger.overrideLogger(false));

describe('ShipmentsService', () => {
  it('prepares shipping once per PaymentCompleted and emits ShipmentCompleted with a tracking number', async () => {
    const tx = {} as Tx;
    const emitted: [Topic, unknown][] = [];
    const uow = {
      runOnce: jest.fn(async (_c: string, _e: Envelope, work: (tx: Tx, emit: unknown) => Promise<void>) => {
        await work(tx, (t: Topic, p: unknown) => emitted.push([t, p]));
        return true;
      }),
    };
    const repo = { create: jest.fn(), byOrder: jest.fn() };
    const sut = new ShipmentsService(uow as unknown as UnitOfWork, repo as unknown as ShipmentsRepository);
    const e: Envelope<Topic.PaymentCompleted> = {
      eventId: newId(), type: Topic.PaymentCompleted, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, producer: 't',
      payload: { orderId: newId(), paymentId: newId(), amount: 10 },
    };
    await sut.prepareShipping(e);
    expect(uow.runOnce).toHaveBeenCalledWith('shipment-service', e, expect.any(Function));
    const shipment = repo.create.mock.calls[0][1] as { id: string; trackingNumber: string };
    expect(shipment.trackingNumber).toMatch(/^TRK-[0-9A-F]{12}$/);
    expect(emitted).toEqual([[Topic.ShipmentCompleted, { orderId: e.payload.orderId, shipmentId: shipment.id, trackingNumber: shipment.trackingNumber }]]);
  });
});
