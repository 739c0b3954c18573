import { Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { AppEnv } from '@app/config';
import { automock } from '../../../../test/automock';
import { fakeUnitOfWork } from '../../../../test/fake-unit-of-work';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { PaymentGateway } from './gateway/payment-gateway';
import { SimulatedPaymentGateway } from './gateway/simulated-payment.gateway';

function setup(gateway: PaymentGateway, options?: Parameters<typeof fakeUnitOfWork>[0]) {
  const { uow, emitted, tx } = fakeUnitOfWork(options);
  const repo = automock(PaymentsRepository);
  const sut = new PaymentsService(uow, repo, gateway);
  return { sut, mocks: { uow, repo }, emitted, tx };
}

const reserved = (amount: number): Envelope<Topic.StockReserved> => ({
  eventId: newId(), type: Topic.StockReserved, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, actor: null, producer: 't',
  payload: { orderId: newId(), sku: 'apple', count: 1, amount },
});
const simulator = (limit: number) => new SimulatedPaymentGateway({ PAYMENT_LIMIT: limit } as AppEnv<'payment'>);

beforeAll(() => Logger.overrideLogger(false));

describe('PaymentsService with the simulated gateway', () => {
  it('approves up to PAYMENT_LIMIT and emits PaymentCompleted', async () => {
    const { sut, mocks, emitted, tx } = setup(simulator(1000));
    const e = reserved(1000);
    await sut.pay([e]);
    expect(mocks.uow.runOnceBatch).toHaveBeenCalledWith('payment-service', [e], expect.any(Function));
    expect(mocks.repo.create).toHaveBeenCalledWith(tx, [expect.objectContaining({ orderId: e.payload.orderId, amount: 1000, status: 'COMPLETED', reason: null })]);
    expect(emitted).toEqual([{ topic: Topic.PaymentCompleted, payload: { orderId: e.payload.orderId, paymentId: expect.any(String), amount: 1000 }, cause: e.eventId }]);
  });

  it('declines above the limit with LIMIT_EXCEEDED and emits PaymentFailed', async () => {
    const { sut, mocks, emitted, tx } = setup(simulator(1000));
    await sut.pay([reserved(1001)]);
    expect(mocks.repo.create).toHaveBeenCalledWith(tx, [expect.objectContaining({ status: 'FAILED', reason: 'LIMIT_EXCEEDED' })]);
    expect(emitted).toEqual([expect.objectContaining({ topic: Topic.PaymentFailed, payload: expect.objectContaining({ amount: 1001, reason: 'LIMIT_EXCEEDED' }) })]);
  });

  it('pays a batch in one insert, with one event per order', async () => {
    const { sut, mocks, emitted } = setup(simulator(1000));
    const [a, b] = [reserved(10), reserved(2000)];
    await sut.pay([a, b]);
    expect(mocks.repo.create).toHaveBeenCalledTimes(1);
    expect(mocks.repo.create.mock.calls[0][1]).toEqual([
      expect.objectContaining({ orderId: a.payload.orderId, status: 'COMPLETED' }),
      expect.objectContaining({ orderId: b.payload.orderId, status: 'FAILED' }),
    ]);
    expect(emitted.map((x) => [x.topic, x.cause])).toEqual([
      [Topic.PaymentCompleted, a.eventId],
      [Topic.PaymentFailed, b.eventId],
    ]);
  });

  it('pays only the orders the unit of work hands it as fresh, not the whole batch', async () => {
    const gateway = simulator(1000);
    const calls = jest.spyOn(gateway, 'processPayment');
    const [before, e] = [reserved(10), reserved(20)];
    const { sut, mocks, emitted, tx } = setup(gateway, { applied: [before] });
    await sut.pay([before, e]);
    expect(calls.mock.calls).toEqual([[{ orderId: e.payload.orderId, amount: 20 }]]);
    expect(mocks.repo.create).toHaveBeenCalledWith(tx, [expect.objectContaining({ orderId: e.payload.orderId })]);
    expect(emitted).toEqual([expect.objectContaining({ topic: Topic.PaymentCompleted, cause: e.eventId })]);
  });

  it('uses whatever gateway is bound to the token', async () => {
    const gateway = { processPayment: jest.fn().mockResolvedValue({ approved: false, reason: 'DECLINED' }) };
    const { sut, emitted } = setup(gateway);
    const e = reserved(5);
    await sut.pay([e]);
    expect(gateway.processPayment).toHaveBeenCalledWith({ orderId: e.payload.orderId, amount: 5 });
    expect(emitted[0]).toMatchObject({ topic: Topic.PaymentFailed, payload: expect.objectContaining({ reason: 'DECLINED' }) });
  });
});
