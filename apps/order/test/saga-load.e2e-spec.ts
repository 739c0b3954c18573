import { eventually } from '../../../test/harness';
import { SagaStack, startSaga } from './saga-stack';

describe('order saga under concurrency', () => {
  let saga: SagaStack;

  beforeAll(async () => {
    saga = await startSaga('load');
  });
  afterAll(async () => {
    await saga?.close();
  });

  it('200 concurrent orders for 50 units: exactly 50 complete, 150 are rejected, stock never negative', async () => {
    await saga.setStock('load-1', 50, 100);
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => saga.order({ kind: 'load-1', count: 1 }, `u-${i}`)));
    const failed = responses.filter((r) => r.status !== 201);
    if (failed.length) console.log(await failed[0]!.text());
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(201));
    const db = saga.stack.prisma;
    const seen: number[] = [];
    const byStatus = await eventually(
      'every order to reach a terminal state',
      async () => {
        seen.push((await db.product.findUniqueOrThrow({ where: { sku: 'load-1' } })).available);
        const groups = await db.order.groupBy({ by: ['status', 'reason'], where: { kind: 'load-1' }, _count: true });
        return groups.some((g) => g.status === 'PENDING') ? undefined : groups;
      },
      90_000,
    );
    const count = (status: string) => byStatus.filter((g) => g.status === status).reduce((n, g) => n + g._count, 0);
    expect(count('COMPLETED')).toBe(50);
    expect(count('REJECTED')).toBe(150);
    expect(byStatus.filter((g) => g.status === 'REJECTED').map((g) => g.reason)).toEqual(['OUT_OF_STOCK']);
    expect(count('COMPLETED') + count('REJECTED')).toBe(200);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(await db.product.findUniqueOrThrow({ where: { sku: 'load-1' } })).toMatchObject({ available: 0, reserved: 50 });
    const reserved = await db.stockReservation.aggregate({ where: { sku: 'load-1', status: 'RESERVED' }, _sum: { count: true }, _count: true });
    expect(reserved).toMatchObject({ _sum: { count: 50 }, _count: 50 });
    expect(await db.payment.count({ where: { status: 'COMPLETED', amount: 100 } })).toBe(50);
    // each order is its token's user's
    const owners = await db.order.findMany({ where: { kind: 'load-1' }, select: { userId: true } });
    expect(new Set(owners.map((o) => o.userId))).toEqual(new Set(Array.from({ length: 200 }, (_, i) => `u-${i}`)));
  });
});
