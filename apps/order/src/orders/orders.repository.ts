import { Injectable } from '@nestjs/common';
import { OrderStatus, Prisma, PrismaService, Tx } from '@app/database';

export interface NewOrder {
  id: string;
  kind: string;
  count: number;
  userId: string | null;
}

export interface Step {
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

  async create(tx: Tx, order: NewOrder): Promise<void> {
    await tx.order.create({ data: { ...order, history: { create: { status: 'PENDING', step: 'ORDER_CREATED' } } } });
  }

  /**
   * Moves a PENDING order to a final status (guarded in the UPDATE itself, so a late or repeated
   * outcome cannot overwrite a terminal state). Returns the status the order has afterwards.
   */
  async finish(tx: Tx, id: string, to: OrderStatus, s: Step): Promise<OrderStatus | undefined> {
    const moved = await tx.order.updateMany({ where: { id, status: 'PENDING' }, data: { status: to, reason: s.reason ?? null } });
    if (moved.count === 1) {
      await tx.orderHistory.create({ data: { orderId: id, status: to, ...s } });
      return to;
    }
    return (await tx.order.findUnique({ where: { id }, select: { status: true } }))?.status;
  }

  /** Records a step that does not change the status (stock reserved, paid) in the timeline. */
  async record(tx: Tx, id: string, s: Step, amount?: number): Promise<OrderStatus | undefined> {
    const order = amount === undefined
      ? await tx.order.findUnique({ where: { id }, select: { status: true } })
      : await tx.order.update({ where: { id }, data: { amount }, select: { status: true } }).catch(notFoundAsUndefined);
    if (!order) return undefined;
    await tx.orderHistory.create({ data: { orderId: id, status: order.status, ...s } });
    return order.status;
  }

  findById(id: string): Promise<OrderWithHistory | null> {
    return this.prisma.order.findUnique({ where: { id }, include: withHistory });
  }

  list(where: Prisma.OrderWhereInput, take: number): Promise<OrderRow[]> {
    return this.prisma.order.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
  }
}

function notFoundAsUndefined(error: unknown): undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return undefined;
  throw error;
}
