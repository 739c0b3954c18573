import { Injectable } from '@nestjs/common';
import { insertMany, OrderStatus, Prisma, PrismaService, Tx } from '@app/database';

export interface NewOrder {
  id: string;
  kind: string;
  count: number;
  userId: string | null;
}

/** One entry of an order's timeline, caused by a consumed event. */
export interface Step {
  orderId: string;
  step: string;
  eventId: string;
  reason?: string;
}

const withHistory = { history: { orderBy: { id: 'asc' } } } satisfies Prisma.OrderInclude;
export type OrderWithHistory = Prisma.OrderGetPayload<{ include: typeof withHistory }>;
export type OrderRow = Prisma.OrderGetPayload<object>;

/** The only file of the order service that touches Prisma. */
@Injectable()
export class OrdersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** New orders, PENDING, each with the first entry of its timeline (two multi-row inserts). */
  async create(tx: Tx, orders: NewOrder[]): Promise<void> {
    const at = new Date();
    const rows = orders.map((o) => ({ id: o.id, kind: o.kind, count: o.count, user_id: o.userId, status: 'PENDING', created_at: at, updated_at: at }));
    await insertMany(tx, 'order_order', rows);
    await this.addHistory(tx, orders.map((o) => ({ orderId: o.id, status: 'PENDING', step: 'ORDER_CREATED' })));
  }

  /** Locks the orders until the transaction ends; returns the status of each one that exists. */
  async lockStatuses(tx: Tx, ids: string[]): Promise<Map<string, OrderStatus>> {
    const rows = await tx.$queryRaw<{ id: string; status: OrderStatus }[]>`
      SELECT id, status FROM order_order WHERE id IN (${Prisma.join([...new Set(ids)].sort())}) ORDER BY id FOR UPDATE`;
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * Moves PENDING orders to a final status and adds it to their timelines (guarded in the UPDATE
   * itself as well, so a terminal state is never overwritten). Call with the orders locked.
   */
  async finish(tx: Tx, to: OrderStatus, steps: Step[]): Promise<void> {
    if (steps.length === 0) return;
    const byReason = new Map<string | null, string[]>();
    for (const s of steps) {
      const ids = byReason.get(s.reason ?? null) ?? [];
      ids.push(s.orderId);
      byReason.set(s.reason ?? null, ids);
    }
    for (const [reason, ids] of byReason) {
      await tx.order.updateMany({ where: { id: { in: ids }, status: 'PENDING' }, data: { status: to, reason } });
    }
    await this.addHistory(tx, steps.map((s) => ({ ...s, status: to })));
  }

  /** Records steps that do not change the status (stock reserved, paid) in the timelines. */
  async record(tx: Tx, steps: (Step & { status: OrderStatus; amount?: number })[]): Promise<void> {
    if (steps.length === 0) return;
    const priced = steps.filter((s) => s.amount !== undefined);
    if (priced.length > 0) {
      await tx.$executeRaw`
        UPDATE order_order SET updated_at = ${new Date()},
          amount = CASE id ${Prisma.join(priced.map((s) => Prisma.sql`WHEN ${s.orderId} THEN ${s.amount}`), ' ')} END
        WHERE id IN (${Prisma.join(priced.map((s) => s.orderId))})`;
    }
    await this.addHistory(tx, steps);
  }

  private async addHistory(tx: Tx, entries: (Partial<Step> & { orderId: string; status: OrderStatus; step: string })[]): Promise<void> {
    const at = new Date();
    await insertMany(
      tx,
      'order_history',
      entries.map((e) => ({ order_id: e.orderId, status: e.status, step: e.step, reason: e.reason ?? null, event_id: e.eventId ?? null, at })),
    );
  }

  findById(id: string): Promise<OrderWithHistory | null> {
    return this.prisma.order.findUnique({ where: { id }, include: withHistory });
  }

  list(where: Prisma.OrderWhereInput, take: number): Promise<OrderRow[]> {
    return this.prisma.order.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
  }
}
