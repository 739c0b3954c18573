import { eventually } from '../../../test/harness';
import { SagaStack, startSaga } from './saga-stack';

describe('order saga (five apps, real Kafka and MySQL)', () => {
  let saga: SagaStack;
  // the catalogue is public; payments, shipments and notifications are the operator's (saga.get)
  const stock = async (sku: string) => (await (await fetch(`${saga.urls.stock}/stock/${sku}`)).json()) as { available: number; reserved: number };

  beforeAll(async () => {
    saga = await startSaga('saga');
  });
  afterAll(async () => {
    await saga?.close();
  });

  it('completes an order: stock reserved, paid, shipped, with its timeline', async () => {
    const id = await saga.placeOrder('apple', 2, 'u-1');
    const order = await saga.terminal(id, 4);
    expect(order).toMatchObject({ status: 'COMPLETED', reason: null, amount: 2 * 1200, userId: 'u-1' });
    expect(order.history.map((h) => h.step).sort()).toEqual(
      ['ORDER_CREATED', 'PAYMENT_COMPLETED', 'SHIPMENT_COMPLETED', 'STOCK_RESERVED'],
    );
    const payments = await saga.get<{ status: string; amount: number }[]>('payment', `/payments?orderId=${id}`);
    expect(payments).toEqual([expect.objectContaining({ status: 'COMPLETED', amount: 2400 })]);
    const shipments = await saga.get<{ trackingNumber: string }[]>('shipment', `/shipments?orderId=${id}`);
    expect(shipments).toEqual([expect.objectContaining({ trackingNumber: expect.stringMatching(/^TRK-/) })]);
    const timeline = await eventually('the notification timeline', async () => {
      const rows = await saga.get<{ status: string; message: string }[]>('notification', `/notifications?orderId=${id}`);
      return rows.length === 4 ? rows : undefined;
    });
    expect(timeline.map((n) => n.status).sort()).toEqual(['COMPLETED', 'PAID', 'PENDING', 'STOCK_RESERVED']);
    expect(timeline.find((n) => n.status === 'STOCK_RESERVED')?.message).toBe(
      `order ${id}: PENDING -> stock reserved (2 x apple = 2400)`,
    );
    expect(await stock('apple')).toMatchObject({ available: 998, reserved: 2 });
  });

  it('rejects an order the stock cannot cover, and takes nothing', async () => {
    await saga.setStock('oos-1', 1, 100);
    const order = await saga.terminal(await saga.placeOrder('oos-1', 2));
    expect(order).toMatchObject({ status: 'REJECTED', reason: 'OUT_OF_STOCK', amount: null });
    expect(order.history.at(-1)).toMatchObject({ status: 'REJECTED', step: 'STOCK_REJECTED', reason: 'OUT_OF_STOCK' });
    expect(await stock('oos-1')).toMatchObject({ available: 1, reserved: 0 });
    expect(await saga.stack.prisma.stockReservation.count({ where: { sku: 'oos-1' } })).toBe(0);
  });

  it('rejects an order for an unknown product', async () => {
    const order = await saga.terminal(await saga.placeOrder('no-such-thing', 1));
    expect(order).toMatchObject({ status: 'REJECTED', reason: 'UNKNOWN_PRODUCT' });
  });

  it('cancels an order over the payment limit and releases its stock', async () => {
    const before = await stock('tv'); // seeded above the default PAYMENT_LIMIT
    const id = await saga.placeOrder('tv', 1);
    const order = await saga.terminal(id, 3);
    expect(order).toMatchObject({ status: 'CANCELLED', reason: 'LIMIT_EXCEEDED', amount: 1_500_000 });
    expect(order.history.map((h) => h.step).sort()).toEqual(['ORDER_CREATED', 'PAYMENT_FAILED', 'STOCK_RESERVED']);
    const reservation = await eventually('the reservation to be released', async () => {
      const r = await saga.stack.prisma.stockReservation.findUnique({ where: { orderId: id } });
      return r?.status === 'RELEASED' ? r : undefined;
    });
    expect(reservation).toMatchObject({ sku: 'tv', count: 1 });
    expect(await stock('tv')).toMatchObject({ available: before.available, reserved: before.reserved });
    const payments = await saga.get<{ status: string; reason: string }[]>('payment', `/payments?orderId=${id}`);
    expect(payments).toEqual([expect.objectContaining({ status: 'FAILED', reason: 'LIMIT_EXCEEDED' })]);
    expect(await saga.get<unknown[]>('shipment', `/shipments?orderId=${id}`)).toEqual([]);
    await eventually('the release in the notification timeline', async () => {
      const rows = await saga.get<{ status: string }[]>('notification', `/notifications?orderId=${id}`);
      return rows.some((n) => n.status === 'STOCK_RELEASED') ? rows : undefined;
    });
  });

  it('completes an order whose payment service was stopped mid-flow and started again', async () => {
    await saga.stop('payment');
    const id = await saga.placeOrder('banana', 3);
    await eventually('stock to be reserved while payment is down', async () => {
      const r = await saga.stack.prisma.stockReservation.findUnique({ where: { orderId: id } });
      return r ?? undefined;
    });
    expect((await saga.stack.prisma.order.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING');
    await saga.start('payment');
    expect(await saga.terminal(id, 4)).toMatchObject({ status: 'COMPLETED', amount: 900 });
    expect(await saga.stack.prisma.payment.count({ where: { orderId: id } })).toBe(1);
  });

  it('lists the products in sku order (GET /stock), with a validated limit', async () => {
    const all = (await (await fetch(`${saga.urls.stock}/stock`)).json()) as { sku: string; available: number; reserved: number; price: number }[];
    const skus = all.map((p) => p.sku);
    expect(skus).toEqual([...skus].sort());
    expect(skus).toEqual(expect.arrayContaining(['apple', 'banana', 'laptop', 'tv']));
    expect(all.find((p) => p.sku === 'laptop')).toEqual({ sku: 'laptop', available: 50, reserved: 0, price: 990_000 });
    expect(await (await fetch(`${saga.urls.stock}/stock?limit=2`)).json()).toHaveLength(2);
    const bad = await fetch(`${saga.urls.stock}/stock?limit=0`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });
});
