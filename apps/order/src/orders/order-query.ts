import { Prisma } from '@app/database';
import { ListOrdersQuery } from './dto/list-orders.query';

/** The typed dynamic query behind GET /orders: only the filters given, plus the keyset cursor. */
export function orderWhere(q: ListOrdersQuery): Prisma.OrderWhereInput {
  const and: Prisma.OrderWhereInput[] = [];
  if (q.status) and.push({ status: q.status });
  if (q.kind) and.push({ kind: q.kind });
  if (q.userId) and.push({ userId: q.userId });
  if (q.from || q.to) and.push({ createdAt: { gte: q.from, lt: q.to } });
  if (q.cursor) {
    const { createdAt, id } = q.cursor;
    // strictly after the cursor in (createdAt desc, id desc) order: stable under concurrent inserts
    and.push({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });
  }
  return { AND: and };
}
