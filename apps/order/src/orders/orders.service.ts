import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { GroupCommit, OrderStatus, UnitOfWork } from '@app/database';
import { CreateOrderDto } from './dto/create-order.dto';
import { ListOrdersQuery } from './dto/list-orders.query';
import { OrderNotFoundError } from './orders.errors';
import { NewOrder, OrdersRepository, Step } from './orders.repository';
import { orderWhere } from './order-query';
import { encodeCursor } from './order-cursor';
import { orderDetailView, orderView } from './order.view';

export const ORDER_CONSUMER = 'order-service';

export interface OrderPage {
  items: ReturnType<typeof orderView>[];
  nextCursor: string | null;
}

type Outcome = Envelope<Topic.StockRejected | Topic.PaymentFailed | Topic.ShipmentCompleted>;
type Progress = Envelope<Topic.StockReserved | Topic.PaymentCompleted>;

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
  async create(dto: CreateOrderDto): Promise<{ id: string; status: OrderStatus }> {
    const order = { id: newId(), kind: dto.kind, count: dto.count, userId: dto.userId ?? null };
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
        emitFor(o.id)(Topic.OrderCreated, { orderId: o.id, kind: o.kind, count: o.count, userId: o.userId });
      }
    });
  }

  async get(id: string): Promise<ReturnType<typeof orderDetailView>> {
    const order = await this.orders.findById(id);
    if (!order) throw new OrderNotFoundError(id);
    return orderDetailView(order);
  }

  async list(query: ListOrdersQuery): Promise<OrderPage> {
    const rows = await this.orders.list(orderWhere(query), query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(orderView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  stockRejected(events: Envelope<Topic.StockRejected>[]): Promise<void> {
    return this.finish(events, 'REJECTED', 'STOCK_REJECTED', (e) => e.payload.reason);
  }

  paymentFailed(events: Envelope<Topic.PaymentFailed>[]): Promise<void> {
    return this.finish(events, 'CANCELLED', 'PAYMENT_FAILED', (e) => e.payload.reason);
  }

  shipmentCompleted(events: Envelope<Topic.ShipmentCompleted>[]): Promise<void> {
    return this.finish(events, 'COMPLETED', 'SHIPMENT_COMPLETED');
  }

  stockReserved(events: Envelope<Topic.StockReserved>[]): Promise<void> {
    return this.record(events, 'STOCK_RESERVED', (e) => e.payload.amount);
  }

  paymentCompleted(events: Envelope<Topic.PaymentCompleted>[]): Promise<void> {
    return this.record(events, 'PAYMENT_COMPLETED');
  }

  /**
   * Saga outcomes: the status changes only from PENDING; terminal states are final. A batch's
   * orders are locked first, so the decision and the guarded UPDATE see the same status.
   */
  private async finish<E extends Outcome>(events: E[], to: OrderStatus, step: string, reasonOf?: (e: E) => string): Promise<void> {
    await this.uow.runOnceBatch(ORDER_CONSUMER, events, async (tx, fresh) => {
      const statuses = await this.orders.lockStatuses(tx, fresh.map((e) => e.payload.orderId));
      const moving: Step[] = [];
      for (const e of fresh) {
        const { orderId } = e.payload;
        const status = statuses.get(orderId);
        if (status === undefined) throw new OrderNotFoundError(orderId);
        if (status !== 'PENDING') {
          if (status !== to) this.log.warn(`order ${orderId} is ${status}: ${step} ignored`);
          continue;
        }
        statuses.set(orderId, to);
        moving.push({ orderId, step, reason: reasonOf?.(e), eventId: e.eventId });
      }
      await this.orders.finish(tx, to, moving);
    });
  }

  /** Progress that does not change the status (stock reserved, paid), kept in the timeline. */
  private async record<E extends Progress>(events: E[], step: string, amountOf?: (e: E) => number): Promise<void> {
    await this.uow.runOnceBatch(ORDER_CONSUMER, events, async (tx, fresh) => {
      const statuses = await this.orders.lockStatuses(tx, fresh.map((e) => e.payload.orderId));
      await this.orders.record(
        tx,
        fresh.map((e) => {
          const status = statuses.get(e.payload.orderId);
          if (status === undefined) throw new OrderNotFoundError(e.payload.orderId);
          return { orderId: e.payload.orderId, status, step, eventId: e.eventId, amount: amountOf?.(e) };
        }),
      );
    });
  }
}
