import { Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { Tx, UnitOfWork } from '@app/database';
import { AppEnv } from '@app/config';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { PaymentGateway } from './gateway/payment-gateway';
import { SimulatedPaymentGateway } from './gateway/simulated-payment.gateway';

const tx = {} as Tx;

function setup(gateway: PaymentGateway) {
  const emitted: [Topic, unknown][] = [];
  const uow = {
    runOnce: jest.fn(async (_c: string, _e: Envelope, work: (tx: Tx, emit: unknown) => Promise<void>) => {
      await work(tx, (t: Topic, p: unknown) => emitted.push([t, p]));
      return true;
    }),
  };
  const repo = { create: jest.fn(), byOrder: jest.fn() };
  const sut = new PaymentsService(uow as unknown as UnitOfWork, repo as unknown as PaymentsRepository, gateway);
  return { sut, mocks: { uow, repo }, emitted };
}

const reserved = (amount: number): Envelope<Topic.StockReserved> => ({
  eventId: newId(), type: Topic.StockReserved, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, producer: 't',
  payload: { orderId: newId(), sku: 'apple', count: 1, amount },
});
const simulator = (limit: number) => new SimulatedPaymentGateway({ PAYMENT_LIMIT: limit } as AppEnv<'payment'>);

beforeAll(() => Logger.overrideLogger(false));

describe('PaymentsService with the simulated gateway', () => {
  it('approves up to PAYMENT_LIMIT and emits PaymentCompleted', async () => {
    const { sut, mocks, emitted } = setup(simulator(1000));
    const e = reserved(1000);
    await sut.pay(e);
    expect(mocks.uow.runOnce).toHaveBeenCalledWith('payment-service', e, expect.any(Function));
    expect(mocks.repo.create).toHaveBeenCalledWith(tx, expect.objectContaining({ orderId: e.payload.orderId, amount: 1000, status: 'COMPLETED', reason: null }));
    expect(emitted).toEqual([[Topic.PaymentCompleted, { orderId: e.payload.orderId, paymentId: expect.any(String), amount: 1000 }]]);
  });

  it('declines above the limit with LIMIT_EXCEEDED and emits PaymentFailed', async () => {
    const { sut, mocks, emitted } = setup(simulator(1000));
    await sut.pay(reserved(1001));
    expect(mocks.repo.create).toHaveBeenCalledWith(tx, expect.objectContaining({ status: 'FAILED', reason: 'LIMIT_EXCEEDED' }));
    expect(emitted).toEqual([[Topic.PaymentFailed, expect.objectContaining({ amount: 1001, reason: 'LIMIT_EXCEEDED' })]]);
  });

  it('uses whatever gateway is bound to the token', async () => {
    const gateway = { processPayment: jest.fn().mockResolvedValue({ approved: false, reason: 'DECLINED' }) };
    const { sut, emitted } = setup(gateway);
    const e = reserved(5);
    await sut.pay(e);
    expect(gateway.processPayment).toHaveBeenCalledWith({ orderId: e.payload.orderId, amount: 5 });
    expect(emitted[0]).toEqual([Topic.PaymentFailed, expect.objectContaining({ reason: 'DECLINED' })]);
  });
});
