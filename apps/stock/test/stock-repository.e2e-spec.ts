// StockRepository against a real database: the guarded statements that keep stock from being
// oversold (take never takes more than is available, also from concurrent transactions), the
// locks of a batch, and reservations written, released once and given back.
import { newId } from '@app/events';
import { PrismaService, Tx } from '@app/database';
import { createTestStack, TestStack } from '../../../test/harness';
import { untilLockWait } from '../../../test/lock-wait';
import { StockRepository } from '../src/stock/stock.repository';

let stack: TestStack;
let repo: StockRepository;

/** A product of its own for each test: no test sees another's units. */
async function product(available: number, price = 100): Promise<string> {
  const sku = `sku-${newId().slice(-12)}`;
  await stack.prisma.product.create({ data: { sku, available, price } });
  return sku;
}

const levels = (sku: string) => stack.prisma.product.findUniqueOrThrow({ where: { sku }, select: { available: true, reserved: true } });
/** One interactive transaction, started at once (a Prisma promise runs only when awaited). */
const inTx = async <R>(work: (tx: Tx) => Promise<R>, db: PrismaService = stack.prisma): Promise<R> => db.$transaction(work, { timeout: 20_000 });

beforeAll(async () => {
  stack = await createTestStack('stockrepo');
  repo = new StockRepository(stack.prisma);
});
afterAll(() => stack?.close());

describe('StockRepository.take (the guarded UPDATE)', () => {
  it('takes units while enough are available, down to zero, and refuses more without changing the row', async () => {
    const sku = await product(5);
    expect(await inTx((tx) => repo.take(tx, sku, 3))).toBe(true);
    expect(await levels(sku)).toEqual({ available: 2, reserved: 3 });
    expect(await inTx((tx) => repo.take(tx, sku, 3))).toBe(false);
    expect(await levels(sku)).toEqual({ available: 2, reserved: 3 });
    expect(await inTx((tx) => repo.take(tx, sku, 2))).toBe(true);
    expect(await inTx((tx) => repo.take(tx, sku, 1))).toBe(false);
    expect(await levels(sku)).toEqual({ available: 0, reserved: 5 });
  });

  it('refuses a sku that does not exist', async () => {
    expect(await inTx((tx) => repo.take(tx, `missing-${newId().slice(-12)}`, 1))).toBe(false);
  });

  describe('from concurrent transactions on one sku', () => {
    // its own pool: every transaction below is open at the same time
    let db: PrismaService;
    beforeAll(() => (db = new PrismaService(stack.databaseUrl, 10)));
    afterAll(() => db?.$disconnect());

    /** `takers` transactions, all open before any of them takes, each taking `count` units. */
    async function takeAtOnce(sku: string, takers: number, count: number): Promise<boolean[]> {
      let arrived = 0;
      let allOpen!: () => void;
      const barrier = new Promise<void>((r) => (allOpen = r));
      return Promise.all(
        Array.from({ length: takers }, () =>
          inTx(async (tx) => {
            if (++arrived === takers) allOpen();
            await barrier;
            return repo.take(tx, sku, count);
          }, db),
        ),
      );
    }

    it('two transactions each taking more than half: one is refused, nothing is oversold', async () => {
      const sku = await product(5);
      const taken = await takeAtOnce(sku, 2, 3);
      expect(taken.filter(Boolean)).toHaveLength(1);
      expect(await levels(sku)).toEqual({ available: 2, reserved: 3 });
    });

    it('eight transactions: units taken are exactly the units reserved, and available never goes below zero', async () => {
      const sku = await product(9);
      const taken = await takeAtOnce(sku, 8, 2);
      expect(taken.filter(Boolean)).toHaveLength(4);
      expect(await levels(sku)).toEqual({ available: 1, reserved: 8 });
    });
  });
});

describe('StockRepository.lock', () => {
  it('returns the level and price of each known sku of a batch, leaving unknown skus out', async () => {
    const [a, b] = [await product(7, 1200), await product(0, 300)];
    const locked = await inTx((tx) => repo.lock(tx, [b, a, 'no-such-sku', a]));
    expect(locked).toEqual(new Map([[a, { available: 7, price: 1200 }], [b, { available: 0, price: 300 }]]));
  });

  it('holds the rows until the transaction ends: a second lock of the sku reads what the first committed', async () => {
    const sku = await product(5);
    const other = new PrismaService(stack.databaseUrl, 1);
    try {
      let second!: Promise<Map<string, { available: number }>>;
      await inTx(async (tx) => {
        expect((await repo.lock(tx, [sku])).get(sku)).toEqual({ available: 5, price: 100 });
        expect(await repo.take(tx, sku, 3)).toBe(true);
        second = inTx((tx2) => repo.lock(tx2, [sku]), other);
        await untilLockWait(stack.prisma);
      });
      expect((await second).get(sku)).toEqual({ available: 2, price: 100 });
    } finally {
      await other.$disconnect();
    }
  });
});

describe('StockRepository reservations', () => {
  const reservation = (sku: string, count = 2) => ({ orderId: newId(), sku, count, amount: count * 100 });
  const row = (orderId: string) =>
    stack.prisma.stockReservation.findUnique({ where: { orderId }, select: { sku: true, count: true, amount: true, status: true } });

  it('reserve writes one RESERVED row per reservation, and nothing for none', async () => {
    const sku = await product(10);
    const [r1, r2] = [reservation(sku, 2), reservation(sku, 3)];
    await inTx((tx) => repo.reserve(tx, [r1, r2]));
    await inTx((tx) => repo.reserve(tx, []));
    expect(await row(r1.orderId)).toEqual({ sku, count: 2, amount: 200, status: 'RESERVED' });
    expect(await row(r2.orderId)).toEqual({ sku, count: 3, amount: 300, status: 'RESERVED' });
    expect(await stack.prisma.stockReservation.count({ where: { sku } })).toBe(2);
  });

  it('release answers a reservation once (RESERVED -> RELEASED), then nothing; an unknown order is nothing', async () => {
    const sku = await product(10);
    const r = reservation(sku, 2);
    await inTx((tx) => repo.reserve(tx, [r]));
    expect(await inTx((tx) => repo.release(tx, r.orderId))).toEqual({ sku, count: 2 });
    expect(await row(r.orderId)).toMatchObject({ status: 'RELEASED' });
    expect(await inTx((tx) => repo.release(tx, r.orderId))).toBeUndefined();
    expect(await inTx((tx) => repo.release(tx, newId()))).toBeUndefined();
    expect(await row(r.orderId)).toMatchObject({ status: 'RELEASED' });
  });

  it('giveBack undoes a take, and refuses to give back more than is reserved', async () => {
    const sku = await product(6);
    const r = reservation(sku, 4);
    await inTx(async (tx) => {
      expect(await repo.take(tx, sku, r.count)).toBe(true);
      await repo.reserve(tx, [r]);
    });
    expect(await levels(sku)).toEqual({ available: 2, reserved: 4 });
    await inTx(async (tx) => {
      const released = await repo.release(tx, r.orderId);
      await repo.giveBack(tx, released!.sku, released!.count);
    });
    expect(await levels(sku)).toEqual({ available: 6, reserved: 0 });
    await inTx((tx) => repo.giveBack(tx, sku, 1));
    expect(await levels(sku)).toEqual({ available: 6, reserved: 0 });
  });
});
