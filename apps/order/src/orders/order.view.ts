import { OrderRow, OrderWithHistory } from './orders.repository';

/** What the API answers: plain JSON (history ids are BigInt in the database and stay internal). */
export const orderView = (o: OrderRow) => ({
  id: o.id,
  kind: o.kind,
  count: o.count,
  userId: o.userId,
  status: o.status,
  reason: o.reason,
  amount: o.amount,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
});

export const orderDetailView = (o: OrderWithHistory) => ({
  ...orderView(o),
  history: o.history.map((h) => ({ status: h.status, step: h.step, reason: h.reason, eventId: h.eventId, at: h.at })),
});
