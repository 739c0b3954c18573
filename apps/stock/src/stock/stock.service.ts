import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { ProductView, StockRepository } from './stock.repository';
import { ProductNotFoundError } from './stock.errors';
import { SetStockDto } from './dto/stock.dto';

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

  /** checkStock: reserve for real, or reject with the reason; at most once per OrderCreated. */
  async reserve(e: Envelope<Topic.OrderCreated>): Promise<void> {
    const { orderId, kind: sku, count } = e.payload;
    await this.uow.runOnce(STOCK_CONSUMER, e, async (tx, emit) => {
      if (await this.stock.take(tx, sku, count)) {
        // the row is locked by our UPDATE now, so this is the price the units were taken at
        const { price } = (await this.stock.price(tx, sku))!;
        const amount = count * price;
        await this.stock.reserve(tx, { orderId, sku, count, amount });
        emit(Topic.StockReserved, { orderId, sku, count, amount });
        this.log.debug(`order ${orderId}: reserved ${count} x ${sku}`);
        return;
      }
      const reason = (await this.stock.price(tx, sku)) ? 'OUT_OF_STOCK' : 'UNKNOWN_PRODUCT';
      emit(Topic.StockRejected, { orderId, sku, count, reason });
      this.log.debug(`order ${orderId}: ${count} x ${sku} rejected, ${reason}`);
    });
  }

  /** Compensation: a failed payment gives the reserved units back (once). */
  async release(e: Envelope<Topic.PaymentFailed>): Promise<void> {
    const { orderId } = e.payload;
    await this.uow.runOnce(STOCK_CONSUMER, e, async (tx, emit) => {
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

  set(sku: string, dto: SetStockDto): Promise<ProductView> {
    return this.stock.upsert(sku, dto);
  }
}
