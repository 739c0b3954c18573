import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { StockRepository } from './stock.repository';
import { ProductNotFoundError } from './stock.errors';
import { allocate } from './stock-allocation';
import { ListStockQuery, ProductList, ProductView, SetStockDto } from './dto/stock.dto';

export const STOCK_CONSUMER = 'stock-service';

@Injectable()
export class StockService implements OnApplicationBootstrap {
  private readonly log = new Logger(StockService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly stock: StockRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const inserted = await this.stock.seed();
    if (inserted > 0) this.log.log(`seeded ${inserted} products`);
  }

  /**
   * checkStock for a fetched batch of orders, each at most once per OrderCreated: the batch's
   * products are locked, the orders are served in order while units last (see allocate), and the
   * units taken, the reservations and the StockReserved / StockRejected events commit together.
   */
  async reserve(events: Envelope<Topic.OrderCreated>[]): Promise<void> {
    await this.uow.runOnceBatch(STOCK_CONSUMER, events, async (tx, fresh, emitFor) => {
      const levels = await this.stock.lock(tx, fresh.map((e) => e.payload.kind));
      const { reserved, rejected, taken } = allocate(levels, fresh.map((e) => e.payload));
      for (const [sku, count] of taken) {
        // cannot fail while the rows are locked; if it does, something else wrote them: roll back
        if (!(await this.stock.take(tx, sku, count))) throw new Error(`stock of ${sku} changed under its lock`);
      }
      await this.stock.reserve(tx, reserved);
      const byOrder = new Map(fresh.map((e) => [e.payload.orderId, e]));
      for (const r of reserved) emitFor(byOrder.get(r.orderId)!)(Topic.StockReserved, r);
      for (const r of rejected) emitFor(byOrder.get(r.orderId)!)(Topic.StockRejected, r);
      this.log.debug(`${fresh.length} orders: ${reserved.length} reserved, ${rejected.length} rejected`);
    });
  }

  /** Compensation: a failed payment gives the reserved units back (once). */
  async release(events: Envelope<Topic.PaymentFailed>[]): Promise<void> {
    await this.uow.runOnceEach(STOCK_CONSUMER, events, async (tx, emit, e) => {
      const { orderId } = e.payload;
      const released = await this.stock.release(tx, orderId);
      if (!released) return;
      await this.stock.giveBack(tx, released.sku, released.count);
      emit(Topic.StockReleased, { orderId, ...released });
      this.log.debug(`order ${orderId}: released ${released.count} x ${released.sku}`);
    });
  }

  async get(sku: string): Promise<ProductView> {
    const product = await this.stock.find(sku);
    if (!product) throw new ProductNotFoundError(sku);
    return product;
  }

  list(query: ListStockQuery): Promise<ProductList> {
    return this.stock.list(query.limit);
  }

  set(sku: string, dto: SetStockDto): Promise<ProductView> {
    return this.stock.upsert(sku, dto);
  }
}
