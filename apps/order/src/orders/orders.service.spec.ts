import { Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { Tx, UnitOfWork } from '@app/database';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { OrderNotFoundError } from './orders.errors';
import { decodeCursor } from './order-cursor';

const tx = {} as Tx;

function setup() {
  const emitted: [Topic, unknown][] = [];
  const uow = {
    run: jest.fn(async (work: (tx: Tx, emit: unknown) => Promise<unknown>) => work(tx, (t: Topic, p: unknown) => emitted.push([t, p]))),
    runOnce: jest.fn(async (_c: string, _e: Envelope, work: (tx: Tx, emit: unknown) => Promise<void>) => {
      await work(tx, (t: Topic, p: unknown) => emitted.push([t, p]));
      return true;
    }),
  };
  const repo = { create: jest.fn(), finish: jest.fn(), record: jest.fn(), findById: jest.fn(), list: jest.fn() };
  const sut = new OrdersService(uow as unknown as UnitOfWork, repo as unknown as OrdersRepository);
  return { sut, mocks: { uow, repo }, emitted };
}

const envelope = <T extends Topic>(type: T, payload: Envelope<T>['payload']): Envelope<T> => ({
  eventId: newId(), type, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, producer: 'test', payload,
});

beforeAll(() => Logger.overrideLogger(false));

describe('OrdersService', () => {
  it('stores a PENDING order and emits OrderCreated in the same unit of work', async () => {
    const { sut, mocks, emitted } = setup();
    const { id, status } = await sut.create({ kind: 'apple', count: 2 });
    expect(status).toBe('PENDING');
    expect(mocks.repo.create).toHaveBeenCalledWith(tx, { id, kind: 'apple', count: 2, userId: null });
    expect(emitted).toEqual([[Topic.OrderCreated, { orderId: id, kind: 'apple', count: 2, userId: null }]]);
    expect(mocks.uow.run).toHaveBeenCalledWith(expect.any(Function), { correlationId: id });
  });

  it('rejects on StockRejected with the reason, once per event', async () => {
    const { sut, mocks } = setup();
    mocks.repo.finish.mockResolvedValue('REJECTED');
    const e = envelope(Topic.StockRejected, { orderId: newId(), sku: 'apple', count: 1, reason: 'OUT_OF_STOCK' });
    await sut.stockRejected(e);
    expect(mocks.uow.runOnce).toHaveBeenCalledWith('order-service', e, expect.any(Function));
    expect(mocks.repo.finish).toHaveBeenCalledWith(tx, e.payload.orderId, 'REJECTED', { step: 'STOCK_REJECTED', reason: 'OUT_OF_STOCK', eventId: e.eventId });
  });

  it('cancels on PaymentFailed and completes on ShipmentCompleted', async () => {
    const { sut, mocks } = setup();
    mocks.repo.finish.mockResolvedValue('CANCELLED');
    const orderId = newId();
    await sut.paymentFailed(envelope(Topic.PaymentFailed, { orderId, paymentId: newId(), amount: 5, reason: 'LIMIT_EXCEEDED' }));
    expect(mocks.repo.finish).toHaveBeenLastCalledWith(tx, orderId, 'CANCELLED', expect.objectContaining({ reason: 'LIMIT_EXCEEDED' }));
    await sut.shipmentCompleted(envelope(Topic.ShipmentCompleted, { orderId, shipmentId: newId(), trackingNumber: 'TRK-1' }));
    expect(mocks.repo.finish).toHaveBeenLastCalledWith(tx, orderId, 'COMPLETED', expect.objectContaining({ step: 'SHIPMENT_COMPLETED' }));
  });

  it('records the amount of reserved stock in the timeline', async () => {
    const { sut, mocks } = setup();
    mocks.repo.record.mockResolvedValue('PENDING');
    const e = envelope(Topic.StockReserved, { orderId: newId(), sku: 'apple', count: 2, amount: 2400 });
    await sut.stockReserved(e);
    expect(mocks.repo.record).toHaveBeenCalledWith(tx, e.payload.orderId, { step: 'STOCK_RESERVED', eventId: e.eventId }, 2400);
  });

  it('refuses an outcome for an order it does not know (permanent: dead-lettered)', async () => {
    const { sut, mocks } = setup();
    mocks.repo.finish.mockResolvedValue(undefined);
    const e = envelope(Topic.ShipmentCompleted, { orderId: newId(), shipmentId: newId(), trackingNumber: 'TRK-1' });
    await expect(sut.shipmentCompleted(e)).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(sut.shipmentCompleted(e)).rejects.toMatchObject({ permanent: true });
  });

  it('throws ORDER_NOT_FOUND for an unknown id', async () => {
    const { sut } = setup();
    await expect(sut.get(newId())).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND', kind: 'NOT_FOUND' });
  });

  it('pages with limit + 1 and hands out a cursor of the last item', async () => {
    const { sut, mocks } = setup();
    const row = (i: number) => ({ id: newId(), kind: 'apple', count: 1, userId: null, status: 'PENDING', reason: null, amount: null, createdAt: new Date(1_700_000_000_000 - i), updatedAt: new Date() });
    const rows = [row(0), row(1), row(2)];
    mocks.repo.list.mockResolvedValue(rows);
    const page = await sut.list({ limit: 2 });
    expect(mocks.repo.list).toHaveBeenCalledWith({ AND: [] }, 3);
    expect(page.items.map((o) => o.id)).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ createdAt: rows[1]!.createdAt, id: rows[1]!.id });
    mocks.repo.list.mockResolvedValue(rows.slice(0, 2));
    expect((await sut.list({ limit: 2 })).nextCursor).toBeNull();
  });
});
