import { OrderDetail, OrderView } from './dto/list-orders.query';
import { OrderRow, OrderWithHistory } from './orders.repository';

/** What the API answers: plain JSON (history ids are BigInt in the database and stay internal). */
export const orderView = (o: OrderRow): OrderView => ({
  id: o.id,
  kind: o.kind,
  count: o.count,
  userId: o.userId,
  status: o.status,
  reason: o.reason,
  amount: o.amount,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

export const orderDetailView = (o: OrderWithHistory): OrderDetail => ({
  ...orderView(o),
  history: o.history.map((h) => ({ status: h.status, step: h.step, reason: h.reason, eventId: h.eventId, at: h.at.toISOString() })),
});
