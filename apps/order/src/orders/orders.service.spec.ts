import { Logger } from '@nestjs/common';
import { Principal } from '@app/platform';
import { Envelope, newId, Topic } from '@app/events';
import { OrderStatus } from '@app/database';
import { automock } from '../../../../test/automock';
import { fakeUnitOfWork } from '../../../../test/fake-unit-of-work';
import { OrderRow, OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { OrderNotFoundError } from './orders.errors';
import { decodeCursor } from './order-cursor';

function setup(options?: Parameters<typeof fakeUnitOfWork>[0]) {
  const { uow, emitted, tx } = fakeUnitOfWork(options);
  const repo = automock(OrdersRepository);
  const sut = new OrdersService(uow, repo);
  return { sut, mocks: { uow, repo }, emitted, tx };
}

const statuses = (entries: [string, OrderStatus][]) => new Map(entries);

const envelope = <T extends Topic>(type: T, payload: Envelope<T>['payload']): Envelope<T> => ({
  eventId: newId(), type, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, actor: null, producer: 'test', payload,
});

beforeAll(() => Logger.overrideLogger(false));

const OPERATOR: Principal = { subject: 'ops', roles: ['operator'] };
const user = (subject: string): Principal => ({ subject, roles: ['user'] });
const row = (i: number, userId: string | null = null): OrderRow => ({ id: newId(), kind: 'apple', count: 1, userId, status: 'PENDING', reason: null, amount: null, createdAt: new Date(1_700_000_000_000 - i), updatedAt: new Date() });

describe('OrdersService', () => {
  it("stores a PENDING order of the token's subject and emits OrderCreated, correlated by the order id and naming its actor, in one unit of work", async () => {
    const { sut, mocks, emitted, tx } = setup();
    const { id, status } = await sut.create({ kind: 'apple', count: 2 }, 'u-7');
    expect(status).toBe('PENDING');
    expect(mocks.repo.create).toHaveBeenCalledWith(tx, [{ id, kind: 'apple', count: 2, userId: 'u-7' }]);
    expect(emitted).toEqual([{ topic: Topic.OrderCreated, payload: { orderId: id, kind: 'apple', count: 2, userId: 'u-7' }, correlationId: id, actor: 'u-7' }]);
  });

  it('commits concurrent orders together and answers each only after that commit', async () => {
    const { sut, mocks, emitted } = setup();
    let commit!: () => void;
    // the transaction's insert starts, and is held open until commit()
    const inserting = new Promise<void>((started) =>
      mocks.repo.create.mockImplementationOnce(() => (started(), new Promise<void>((r) => (commit = r)))),
    );
    let answered = 0;
    const all = Promise.all([2, 3, 4].map((count) => sut.create({ kind: 'pear', count }, 'u-1').then((o) => (answered++, o))));
    await inserting;
    expect(answered).toBe(0);
    commit();
    const orders = await all;
    expect(mocks.repo.create).toHaveBeenCalledTimes(1);
    expect(mocks.repo.create.mock.calls[0][1]).toEqual(orders.map((o, i) => ({ id: o.id, kind: 'pear', count: i + 2, userId: 'u-1' })));
    expect(emitted.map((e) => e.correlationId)).toEqual(orders.map((o) => o.id));
  });

  it('answers an error to every request of a transaction that failed', async () => {
    const { sut, mocks } = setup();
    mocks.repo.create.mockRejectedValueOnce(new Error('db down'));
    await expect(sut.create({ kind: 'apple', count: 1 }, 'u-1')).rejects.toThrow('db down');
  });

  it('rejects on StockRejected with the reason, PENDING orders only', async () => {
    const { sut, mocks, tx } = setup();
    const [a, b] = [newId(), newId()];
    mocks.repo.lockStatuses.mockResolvedValue(statuses([[a, 'PENDING'], [b, 'COMPLETED']]));
    const ea = envelope(Topic.StockRejected, { orderId: a, sku: 'apple', count: 1, reason: 'OUT_OF_STOCK' });
    const eb = envelope(Topic.StockRejected, { orderId: b, sku: 'apple', count: 1, reason: 'UNKNOWN_PRODUCT' });
    await sut.apply([ea, eb]);
    expect(mocks.uow.runOnceBatch).toHaveBeenCalledWith('order-service', [ea, eb], expect.any(Function));
    expect(mocks.repo.lockStatuses).toHaveBeenCalledWith(tx, [a, b]);
    expect(mocks.repo.finish).toHaveBeenCalledTimes(1);
    expect(mocks.repo.finish).toHaveBeenCalledWith(tx, 'REJECTED', [{ orderId: a, step: 'STOCK_REJECTED', reason: 'OUT_OF_STOCK', eventId: ea.eventId }]);
  });

  it('applies only the events the unit of work hands it as fresh, not the whole batch', async () => {
    const [a, b] = [newId(), newId()];
    const before = envelope(Topic.StockRejected, { orderId: a, sku: 'apple', count: 1, reason: 'OUT_OF_STOCK' });
    const e = envelope(Topic.PaymentFailed, { orderId: b, paymentId: newId(), amount: 5, reason: 'LIMIT_EXCEEDED' });
    const { sut, mocks, tx } = setup({ applied: [before] });
    mocks.repo.lockStatuses.mockResolvedValue(statuses([[b, 'PENDING']]));
    await sut.apply([before, e]);
    expect(mocks.repo.lockStatuses).toHaveBeenCalledWith(tx, [b]);
    expect(mocks.repo.finish).toHaveBeenCalledTimes(1);
    expect(mocks.repo.finish).toHaveBeenCalledWith(tx, 'CANCELLED', [expect.objectContaining({ orderId: b, eventId: e.eventId })]);
  });

  it('applies progress and outcomes of several topics in one unit of work', async () => {
    const { sut, mocks, tx } = setup();
    const [a, b, c] = [newId(), newId(), newId()];
    mocks.repo.lockStatuses.mockResolvedValue(statuses([[a, 'PENDING'], [b, 'PENDING'], [c, 'PENDING']]));
    const reserved = envelope(Topic.StockReserved, { orderId: a, sku: 'apple', count: 2, amount: 2400 });
    const paid = envelope(Topic.PaymentCompleted, { orderId: a, paymentId: newId(), amount: 2400 });
    const failed = envelope(Topic.PaymentFailed, { orderId: b, paymentId: newId(), amount: 5, reason: 'LIMIT_EXCEEDED' });
    const shipped = envelope(Topic.ShipmentCompleted, { orderId: c, shipmentId: newId(), trackingNumber: 'TRK-1' });
    await sut.apply([reserved, paid, failed, shipped]);
    expect(mocks.uow.runOnceBatch).toHaveBeenCalledTimes(1);
    expect(mocks.repo.lockStatuses).toHaveBeenCalledTimes(1);
    expect(mocks.repo.record).toHaveBeenCalledWith(tx, [
      { orderId: a, status: 'PENDING', step: 'STOCK_RESERVED', eventId: reserved.eventId, amount: 2400 },
      { orderId: a, status: 'PENDING', step: 'PAYMENT_COMPLETED', eventId: paid.eventId, amount: undefined },
    ]);
    expect(mocks.repo.finish).toHaveBeenCalledWith(tx, 'CANCELLED', [expect.objectContaining({ orderId: b, reason: 'LIMIT_EXCEEDED' })]);
    expect(mocks.repo.finish).toHaveBeenCalledWith(tx, 'COMPLETED', [expect.objectContaining({ orderId: c, step: 'SHIPMENT_COMPLETED' })]);
  });

  it('keeps the first outcome of an order: a second one in the same batch is ignored', async () => {
    const { sut, mocks, tx } = setup();
    const orderId = newId();
    mocks.repo.lockStatuses.mockResolvedValue(statuses([[orderId, 'PENDING']]));
    await sut.apply([
      envelope(Topic.PaymentFailed, { orderId, paymentId: newId(), amount: 5, reason: 'LIMIT_EXCEEDED' }),
      envelope(Topic.ShipmentCompleted, { orderId, shipmentId: newId(), trackingNumber: 'TRK-1' }),
    ]);
    expect(mocks.repo.finish).toHaveBeenCalledTimes(1);
    expect(mocks.repo.finish).toHaveBeenCalledWith(tx, 'CANCELLED', [expect.objectContaining({ orderId })]);
  });

  it('refuses an event for an order it does not know (permanent: dead-lettered)', async () => {
    const { sut, mocks } = setup();
    mocks.repo.lockStatuses.mockResolvedValue(new Map());
    const e = envelope(Topic.ShipmentCompleted, { orderId: newId(), shipmentId: newId(), trackingNumber: 'TRK-1' });
    await expect(sut.apply([e])).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(sut.apply([envelope(Topic.StockReserved, { orderId: e.payload.orderId, sku: 'a', count: 1, amount: 1 })])).rejects.toMatchObject({ permanent: true });
    expect(mocks.repo.finish).not.toHaveBeenCalled();
  });

  it("throws ORDER_NOT_FOUND for an unknown id, and for another user's order", async () => {
    const { sut, mocks } = setup();
    await expect(sut.get(newId(), OPERATOR)).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND', kind: 'NOT_FOUND' });
    mocks.repo.findById.mockResolvedValue({ ...row(0, 'u-1'), history: [] });
    await expect(sut.get(newId(), user('u-2'))).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect(await sut.get(newId(), user('u-1'))).toMatchObject({ userId: 'u-1' });
    expect(await sut.get(newId(), OPERATOR)).toMatchObject({ userId: 'u-1' });
  });

  it("lists a user's own orders only, an operator's anyone's", async () => {
    const { sut, mocks } = setup();
    mocks.repo.list.mockResolvedValue([]);
    await sut.list({ limit: 2 }, user('u-1'));
    expect(mocks.repo.list).toHaveBeenLastCalledWith({ AND: [{ userId: 'u-1' }] }, 3);
    await expect(sut.list({ limit: 2, userId: 'u-2' }, user('u-1'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await sut.list({ limit: 2, userId: 'u-2' }, OPERATOR);
    expect(mocks.repo.list).toHaveBeenLastCalledWith({ AND: [{ userId: 'u-2' }] }, 3);
  });

  it('pages with limit + 1 and hands out a cursor of the last item', async () => {
    const { sut, mocks } = setup();
    const rows = [row(0), row(1), row(2)];
    mocks.repo.list.mockResolvedValue(rows);
    const page = await sut.list({ limit: 2 }, OPERATOR);
    expect(mocks.repo.list).toHaveBeenCalledWith({ AND: [] }, 3);
    expect(page.items.map((o) => o.id)).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ createdAt: rows[1]!.createdAt, id: rows[1]!.id });
    mocks.repo.list.mockResolvedValue(rows.slice(0, 2));
    expect((await sut.list({ limit: 2 }, OPERATOR)).nextCursor).toBeNull();
  });
});
