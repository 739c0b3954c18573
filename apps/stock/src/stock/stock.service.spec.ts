import { Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { Tx, UnitOfWork } from '@app/database';
import { StockRepository } from './stock.repository';
import { StockService } from './stock.service';

const tx = {} as Tx;

function setup() {
  const emitted: [Topic, unknown][] = [];
  const uow = {
    runOnce: jest.fn(async (_c: string, _e: Envelope, work: (tx: Tx, emit: unknown) => Promise<void>) => {
      await work(tx, (t: Topic, p: unknown) => emitted.push([t, p]));
      return true;
    }),
  };
  const repo = { take: jest.fn(), giveBack: jest.fn(), price: jest.fn(), reserve: jest.fn(), release: jest.fn(), find: jest.fn(), upsert: jest.fn(), seed: jest.fn() };
  const sut = new StockService(uow as unknown as UnitOfWork, repo as unknown as StockRepository);
  return { sut, mocks: { uow, repo }, emitted };
}

const event = <T extends Topic>(type: T, payload: Envelope<T>['payload']): Envelope<T> => ({
  eventId: newId(), type, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, producer: 'test', payload,
});
const orderCreated = (count = 2) => event(Topic.OrderCreated, { orderId: newId(), kind: 'apple', count, userId: null });

beforeAll(() => Logger.overrideLogger(false));

describe('StockService', () => {
  it('reserves and emits StockReserved with count x price', async () => {
    const { sut, mocks, emitted } = setup();
    mocks.repo.take.mockResolvedValue(true);
    mocks.repo.price.mockResolvedValue({ price: 1200 });
    const e = orderCreated(2);
    await sut.reserve(e);
    expect(mocks.uow.runOnce).toHaveBeenCalledWith('stock-service', e, expect.any(Function));
    expect(mocks.repo.take).toHaveBeenCalledWith(tx, 'apple', 2);
    expect(mocks.repo.reserve).toHaveBeenCalledWith(tx, { orderId: e.payload.orderId, sku: 'apple', count: 2, amount: 2400 });
    expect(emitted).toEqual([[Topic.StockReserved, { orderId: e.payload.orderId, sku: 'apple', count: 2, amount: 2400 }]]);
  });

  it('rejects OUT_OF_STOCK when the guarded update takes nothing', async () => {
    const { sut, mocks, emitted } = setup();
    mocks.repo.take.mockResolvedValue(false);
    mocks.repo.price.mockResolvedValue({ price: 1200 });
    await sut.reserve(orderCreated());
    expect(mocks.repo.reserve).not.toHaveBeenCalled();
    expect(emitted).toEqual([[Topic.StockRejected, expect.objectContaining({ reason: 'OUT_OF_STOCK' })]]);
  });

  it('rejects UNKNOWN_PRODUCT when there is no such sku', async () => {
    const { sut, mocks, emitted } = setup();
    mocks.repo.take.mockResolvedValue(false);
    mocks.repo.price.mockResolvedValue(null);
    await sut.reserve(orderCreated());
    expect(emitted).toEqual([[Topic.StockRejected, expect.objectContaining({ reason: 'UNKNOWN_PRODUCT' })]]);
  });

  it('releases a reservation once on PaymentFailed', async () => {
    const { sut, mocks, emitted } = setup();
    const orderId = newId();
    const failed = event(Topic.PaymentFailed, { orderId, paymentId: newId(), amount: 1, reason: 'LIMIT_EXCEEDED' });
    mocks.repo.release.mockResolvedValueOnce({ sku: 'tv', count: 1 }).mockResolvedValueOnce(undefined);
    await sut.release(failed);
    await sut.release(failed);
    expect(mocks.repo.giveBack).toHaveBeenCalledTimes(1);
    expect(mocks.repo.giveBack).toHaveBeenCalledWith(tx, 'tv', 1);
    expect(emitted).toEqual([[Topic.StockReleased, { orderId, sku: 'tv', count: 1 }]]);
  });

  it('answers PRODUCT_NOT_FOUND for an unknown sku', async () => {
    const { sut, mocks } = setup();
    mocks.repo.find.mockResolvedValue(null);
    await expect(sut.get('nope')).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
  });
});
