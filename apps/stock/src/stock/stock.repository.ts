import { Injectable } from '@nestjs/common';
import { insertMany, Prisma, PrismaService, Tx } from '@app/database';
import { StockLevel } from './stock-allocation';
import { SEED_PRODUCTS } from './stock.seed';
import { ProductList, ProductView } from './dto/stock.dto';

const view = { sku: true, available: true, reserved: true, price: true } as const;

/** The only file of the stock service that touches Prisma; the reservation guard lives here. */
@Injectable()
export class StockRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Takes `count` units only if that many are available, in one guarded UPDATE, so that
   * `available` can never go below zero whatever the caller computed. Returns false when short.
   */
  async take(tx: Tx, sku: string, count: number): Promise<boolean> {
    const changed = await tx.$executeRaw`
      UPDATE stock_product SET available = available - ${count}, reserved = reserved + ${count}, updated_at = NOW(3)
      WHERE sku = ${sku} AND available >= ${count}`;
    return changed === 1;
  }

  /** Gives units of a released reservation back. */
  async giveBack(tx: Tx, sku: string, count: number): Promise<void> {
    await tx.$executeRaw`
      UPDATE stock_product SET available = available + ${count}, reserved = reserved - ${count}, updated_at = NOW(3)
      WHERE sku = ${sku} AND reserved >= ${count}`;
  }

  /** Locks the products (FOR UPDATE, in key order) until the transaction ends; unknown skus are absent. */
  async lock(tx: Tx, skus: string[]): Promise<Map<string, StockLevel>> {
    const rows = await tx.$queryRaw<{ sku: string; available: number; price: number }[]>`
      SELECT sku, available, price FROM stock_product
      WHERE sku IN (${Prisma.join([...new Set(skus)].sort())}) ORDER BY sku FOR UPDATE`;
    return new Map(rows.map((r) => [r.sku, { available: Number(r.available), price: Number(r.price) }]));
  }

  async reserve(tx: Tx, reservations: { orderId: string; sku: string; count: number; amount: number }[]): Promise<void> {
    const at = new Date();
    await insertMany(
      tx,
      'stock_reservation',
      reservations.map((r) => ({ order_id: r.orderId, sku: r.sku, count: r.count, amount: r.amount, status: 'RESERVED', created_at: at, updated_at: at })),
    );
  }

  /** RESERVED -> RELEASED, guarded so that a reservation is released at most once. */
  async release(tx: Tx, orderId: string): Promise<{ sku: string; count: number } | undefined> {
    const changed = await tx.stockReservation.updateMany({ where: { orderId, status: 'RESERVED' }, data: { status: 'RELEASED' } });
    if (changed.count === 0) return undefined;
    return (await tx.stockReservation.findUnique({ where: { orderId }, select: { sku: true, count: true } })) ?? undefined;
  }

  find(sku: string): Promise<ProductView | null> {
    return this.prisma.product.findUnique({ where: { sku }, select: view });
  }

  upsert(sku: string, data: { available: number; price: number }): Promise<ProductView> {
    return this.prisma.product.upsert({ where: { sku }, create: { sku, ...data }, update: data, select: view });
  }

  /** The products in sku order, at most `limit` (the console's stock table). */
  list(limit: number): Promise<ProductList> {
    return this.prisma.product.findMany({ select: view, orderBy: { sku: 'asc' }, take: limit });
  }

  async seed(): Promise<number> {
    const { count } = await this.prisma.product.createMany({ data: [...SEED_PRODUCTS], skipDuplicates: true });
    return count;
  }
}
