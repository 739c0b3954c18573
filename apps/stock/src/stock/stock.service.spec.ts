import { Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { automock } from '../../../../test/automock';
import { fakeUnitOfWork } from '../../../../test/fake-unit-of-work';
import { StockRepository } from './stock.repository';
import { StockService } from './stock.service';

function setup(options?: Parameters<typeof fakeUnitOfWork>[0]) {
  const { uow, emitted, tx } = fakeUnitOfWork(options);
  const repo = automock(StockRepository);
  repo.take.mockResolvedValue(true);
  const sut = new StockService(uow, repo);
  return { sut, mocks: { uow, repo }, emitted, tx };
}

const event = <T extends Topic>(type: T, payload: Envelope<T>['payload']): Envelope<T> => ({
  eventId: newId(), type, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, actor: null, producer: 'test', payload,
});
const orderCreated = (count = 2) => event(Topic.OrderCreated, { orderId: newId(), kind: 'apple', count, userId: null });

beforeAll(() => Logger.overrideLogger(false));

describe('StockService', () => {
  it('reserves a batch in one unit of work: locks its skus, takes the units, emits per order', async () => {
    const { sut, mocks, emitted, tx } = setup();
    mocks.repo.lock.mockResolvedValue(new Map([['apple', { available: 3, price: 1200 }]]));
    const [a, b] = [orderCreated(2), orderCreated(2)];
    await sut.reserve([a, b]);
    expect(mocks.uow.runOnceBatch).toHaveBeenCalledTimes(1);
    expect(mocks.repo.lock).toHaveBeenCalledWith(tx, ['apple', 'apple']);
    expect(mocks.repo.take).toHaveBeenCalledWith(tx, 'apple', 2);
    expect(mocks.repo.reserve).toHaveBeenCalledWith(tx, [{ orderId: a.payload.orderId, sku: 'apple', count: 2, amount: 2400 }]);
    expect(emitted).toEqual([
      { topic: Topic.StockReserved, payload: { orderId: a.payload.orderId, sku: 'apple', count: 2, amount: 2400 }, cause: a.eventId },
      { topic: Topic.StockRejected, payload: { orderId: b.payload.orderId, sku: 'apple', count: 2, reason: 'OUT_OF_STOCK' }, cause: b.eventId },
    ]);
  });

  it('rejects UNKNOWN_PRODUCT when there is no such sku, taking nothing', async () => {
    const { sut, mocks, emitted } = setup();
    mocks.repo.lock.mockResolvedValue(new Map());
    await sut.reserve([orderCreated()]);
    expect(mocks.repo.take).not.toHaveBeenCalled();
    expect(emitted).toEqual([expect.objectContaining({ topic: Topic.StockRejected, payload: expect.objectContaining({ reason: 'UNKNOWN_PRODUCT' }) })]);
  });

  it('rolls the batch back if the guarded update takes less than the locked rows promised', async () => {
    const { sut, mocks } = setup();
    mocks.repo.lock.mockResolvedValue(new Map([['apple', { available: 3, price: 1 }]]));
    mocks.repo.take.mockResolvedValue(false);
    await expect(sut.reserve([orderCreated(1)])).rejects.toThrow(/changed under its lock/);
  });

  it('reserves only the orders the unit of work hands it as fresh, not the whole batch', async () => {
    const [before, e] = [orderCreated(1), orderCreated(2)];
    const { sut, mocks, emitted, tx } = setup({ applied: [before] });
    mocks.repo.lock.mockResolvedValue(new Map([['apple', { available: 10, price: 1 }]]));
    await sut.reserve([before, e]);
    expect(mocks.uow.runOnceBatch).toHaveBeenCalledWith('stock-service', [before, e], expect.any(Function));
    expect(mocks.repo.take).toHaveBeenCalledTimes(1);
    expect(mocks.repo.take).toHaveBeenCalledWith(tx, 'apple', 2);
    expect(mocks.repo.reserve).toHaveBeenCalledWith(tx, [{ orderId: e.payload.orderId, sku: 'apple', count: 2, amount: 2 }]);
    expect(emitted).toEqual([expect.objectContaining({ topic: Topic.StockReserved, cause: e.eventId })]);
  });

  it('gives a released reservation back on PaymentFailed, and nothing for one that is no longer RESERVED', async () => {
    const { sut, mocks, emitted, tx } = setup();
    const orderId = newId();
    const failed = () => event(Topic.PaymentFailed, { orderId, paymentId: newId(), amount: 1, reason: 'LIMIT_EXCEEDED' });
    const [first, second] = [failed(), failed()];
    // the repository's guarded RESERVED -> RELEASED answers the reservation once, then nothing
    mocks.repo.release.mockResolvedValueOnce({ sku: 'tv', count: 1 }).mockResolvedValueOnce(undefined);
    await sut.release([first, second]);
    expect(mocks.repo.release.mock.calls).toEqual([[tx, orderId], [tx, orderId]]);
    expect(mocks.repo.giveBack).toHaveBeenCalledTimes(1);
    expect(mocks.repo.giveBack).toHaveBeenCalledWith(tx, 'tv', 1);
    expect(emitted).toEqual([{ topic: Topic.StockReleased, payload: { orderId, sku: 'tv', count: 1 }, cause: first.eventId }]);
  });

  it('answers PRODUCT_NOT_FOUND for an unknown sku', async () => {
    const { sut, mocks } = setup();
    mocks.repo.find.mockResolvedValue(null);
    await expect(sut.get('nope')).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
  });
});
