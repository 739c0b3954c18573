import { Injectable, Logger } from '@nestjs/common';
import { Envelope, newId, Topic } from '@app/events';
import { OrderStatus, UnitOfWork } from '@app/database';
import { CreateOrderDto } from './dto/create-order.dto';
import { ListOrdersQuery } from './dto/list-orders.query';
import { OrderNotFoundError } from './orders.errors';
import { OrdersRepository } from './orders.repository';
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
export class OrdersService {
  private readonly log = new Logger(OrdersService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrdersRepository,
  ) {}

  /** createOrder: the row and its OrderCreated event commit together (transactional outbox). */
  async create(dto: CreateOrderDto): Promise<{ id: string; status: OrderStatus }> {
    const id = newId();
    const order = { id, kind: dto.kind, count: dto.count, userId: dto.userId ?? null };
    await this.uow.run(
      async (tx, emit) => {
        await this.orders.create(tx, order);
        emit(Topic.OrderCreated, { orderId: id, kind: order.kind, count: order.count, userId: order.userId });
      },
      { correlationId: id },
    );
    this.log.debug(`order ${id} created: ${order.count} x ${order.kind}`);
    return { id, status: 'PENDING' };
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

  stockRejected(e: Envelope<Topic.StockRejected>): Promise<void> {
    return this.finish(e, 'REJECTED', 'STOCK_REJECTED', e.payload.reason);
  }

  paymentFailed(e: Envelope<Topic.PaymentFailed>): Promise<void> {
    return this.finish(e, 'CANCELLED', 'PAYMENT_FAILED', e.payload.reason);
  }

  shipmentCompleted(e: Envelope<Topic.ShipmentCompleted>): Promise<void> {
    return this.finish(e, 'COMPLETED', 'SHIPMENT_COMPLETED');
  }

  stockReserved(e: Envelope<Topic.StockReserved>): Promise<void> {
    return this.record(e, 'STOCK_RESERVED', e.payload.amount);
  }

  paymentCompleted(e: Envelope<Topic.PaymentCompleted>): Promise<void> {
    return this.record(e, 'PAYMENT_COMPLETED');
  }

  /** A saga outcome: the status changes only from PENDING; terminal states are final. */
  private async finish(e: Outcome, to: OrderStatus, step: string, reason?: string): Promise<void> {
    const { orderId } = e.payload;
    await this.uow.runOnce(ORDER_CONSUMER, e, async (tx) => {
      const status = await this.orders.finish(tx, orderId, to, { step, reason, eventId: e.eventId });
      if (status === undefined) throw new OrderNotFoundError(orderId);
      if (status !== to) this.log.warn(`order ${orderId} is ${status}: ${step} ignored`);
    });
  }

  private async record(e: Progress, step: string, amount?: number): Promise<void> {
    const { orderId } = e.payload;
    await this.uow.runOnce(ORDER_CONSUMER, e, async (tx) => {
      const status = await this.orders.record(tx, orderId, { step, eventId: e.eventId }, amount);
      if (status === undefined) throw new OrderNotFoundError(orderId);
    });
  }
}
