import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { EnvelopeOf, newId, Topic } from '@app/events';
import { GroupCommit } from '@app/batching';
import { OrderStatus, UnitOfWork } from '@app/database';
import { ForbiddenError, isOperator, Principal } from '@app/platform';
import { CreateOrderDto, OrderAccepted } from './dto/create-order.dto';
import { ListOrdersQuery, OrderDetail, OrderPage } from './dto/list-orders.query';
import { OrderNotFoundError } from './orders.errors';
import { NewOrder, OrdersRepository, Step } from './orders.repository';
import { orderWhere } from './order-query';
import { encodeCursor } from './order-cursor';
import { orderDetailView, orderView } from './order.view';

export const ORDER_CONSUMER = 'order-service';

/** What the order app consumes: the saga's progress and outcomes. */
export type OrderProgress = EnvelopeOf<
  Topic.StockReserved | Topic.PaymentCompleted | Topic.StockRejected | Topic.PaymentFailed | Topic.ShipmentCompleted
>;

@Injectable()
export class OrdersService implements BeforeApplicationShutdown {
  private readonly log = new Logger(OrdersService.name);

  // Up to 200 orders per transaction, two transactions at once; an order arriving when none is
  // running goes out at once (no linger): batching comes only from requests that queue meanwhile.
  private readonly newOrders = new GroupCommit<NewOrder>((orders) => this.insert(orders), { maxBatch: 200, lingerMs: 0, maxInFlight: 2 });

  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrdersRepository,
  ) {}

  /**
   * createOrder: the row and its OrderCreated event commit together (transactional outbox).
   * Concurrent requests share one transaction (group commit); each is answered only after the
   * transaction that carried its order committed.
   */
  async create(dto: CreateOrderDto, subject: string): Promise<OrderAccepted> {
    const order = { id: newId(), kind: dto.kind, count: dto.count, userId: subject };
    await this.newOrders.submit(order);
    this.log.debug(`order ${order.id} created: ${order.count} x ${order.kind}`);
    return { id: order.id, status: 'PENDING' };
  }

  /** Commits what is still queued (shutdown, before the outbox relay stops). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.newOrders.drain();
  }

  private async insert(orders: NewOrder[]): Promise<void> {
    await this.uow.runForEach(async (tx, emitFor) => {
      await this.orders.create(tx, orders);
      for (const o of orders) {
        emitFor({ correlationId: o.id, actor: o.userId })(Topic.OrderCreated, { orderId: o.id, kind: o.kind, count: o.count, userId: o.userId });
      }
    });
  }

  /** A user's own order, or any for an operator; another user's is not found (its existence is not told). */
  async get(id: string, principal: Principal): Promise<OrderDetail> {
    const order = await this.orders.findById(id);
    if (!order || !(isOperator(principal) || order.userId === principal.subject)) throw new OrderNotFoundError(id);
    return orderDetailView(order);
  }

  /** An operator lists everyone's orders; a user its own (a userId filter of someone else's is refused). */
  async list(query: ListOrdersQuery, principal: Principal): Promise<OrderPage> {
    if (!isOperator(principal)) {
      if (query.userId !== undefined && query.userId !== principal.subject) throw new ForbiddenError("a user lists its own orders only (userId must be the token's subject)");
      query = { ...query, userId: principal.subject };
    }
    const rows = await this.orders.list(orderWhere(query), query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(orderView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /**
   * Applies the saga's progress to the orders, each event at most once, all in one transaction:
   * the orders are locked first, so decisions and writes see the same status. Progress (stock
   * reserved, paid) is kept in the timeline with the amount; an outcome moves a PENDING order to
   * its final status (a terminal state is final: a later outcome is logged and ignored).
   */
  async apply(events: OrderProgress[]): Promise<void> {
    await this.uow.runOnceBatch(ORDER_CONSUMER, events, async (tx, fresh) => {
      const statuses = await this.orders.lockStatuses(tx, fresh.map((e) => e.payload.orderId));
      const progress: (Step & { status: OrderStatus; amount?: number })[] = [];
      const outcomes = new Map<OrderStatus, Step[]>();
      for (const e of fresh) {
        const { orderId } = e.payload;
        const status = statuses.get(orderId);
        if (status === undefined) throw new OrderNotFoundError(orderId);
        const step = STEPS[e.type];
        if (e.type === Topic.StockReserved || e.type === Topic.PaymentCompleted) {
          const amount = e.type === Topic.StockReserved ? e.payload.amount : undefined;
          progress.push({ orderId, status, step: step.name, eventId: e.eventId, amount });
          continue;
        }
        const to = step.to!;
        if (status !== 'PENDING') {
          if (status !== to) this.log.warn(`order ${orderId} is ${status}: ${step.name} ignored`);
          continue;
        }
        statuses.set(orderId, to);
        const reason = 'reason' in e.payload ? e.payload.reason : undefined;
        const list = outcomes.get(to) ?? [];
        list.push({ orderId, step: step.name, reason, eventId: e.eventId });
        outcomes.set(to, list);
      }
      await this.orders.record(tx, progress);
      for (const [to, steps] of outcomes) await this.orders.finish(tx, to, steps);
    });
  }
}

/** The timeline step of each topic the order app consumes, and the final status of an outcome. */
const STEPS: Record<OrderProgress['type'], { name: string; to?: OrderStatus }> = {
  [Topic.StockReserved]: { name: 'STOCK_RESERVED' },
  [Topic.PaymentCompleted]: { name: 'PAYMENT_COMPLETED' },
  [Topic.StockRejected]: { name: 'STOCK_REJECTED', to: 'REJECTED' },
  [Topic.PaymentFailed]: { name: 'PAYMENT_FAILED', to: 'CANCELLED' },
  [Topic.ShipmentCompleted]: { name: 'SHIPMENT_COMPLETED', to: 'COMPLETED' },
};
