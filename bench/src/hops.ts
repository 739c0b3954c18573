// Where an order's time goes, hop by hop. For a sample of completed orders it reads the
// moments the saga left behind: the rows' timestamps (each service writes them from its own clock,
// `new Date()` while building its INSERT, inside its transaction) and the Kafka timestamps of the
// four events (CreateTime: set by kafkajs when it encodes the produce request, i.e. when the outbox
// relay hands the event to the broker). Every process runs on this machine, so one clock.
import { Kafka } from 'kafkajs';
import { readTopic } from '@app/kafka/ops/read-topic';
import { Db } from './db';

/** Exact percentiles of a small sample (nearest rank), in ms. */
export interface Spread {
  p50: number;
  p99: number;
  mean: number;
  count: number;
}

export function spread(values: readonly number[]): Spread {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return { p50: NaN, p99: NaN, mean: NaN, count: 0 };
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { p50: at(50), p99: at(99), mean: Math.round(mean * 10) / 10, count: s.length };
}

/** What kind of time a segment is (the chart's colours). */
export type HopKind = 'delivery' | 'apply' | 'commit';

/** One segment of the path, between two consecutive marks. */
export interface Hop {
  name: string;
  kind: HopKind;
  /** From which mark to which. */
  covers: string;
  ms: Spread;
}

/**
 * The saga's segments, in order, between 13 marks: the rows' timestamps, each event's CreateTime,
 * and each consumer's inbox row (processed_event.processed_at, the database's clock when the
 * transaction's first statement ran). The kinds:
 * - delivery: an event's CreateTime to the next service's inbox row: the produce request's way to
 *   the broker and its append, the consumer's fetch and wake-up, decoding, the batch merge, BEGIN;
 * - apply: inbox row to the service's own row: its statements before its INSERT (locks, reads);
 * - commit: the service's row to its event's CreateTime: the rest of its statements, the outbox
 *   insert, COMMIT, and the outbox relay's hand-off to kafkajs (for the order's last hop: the
 *   completion's statements up to its UPDATE).
 */
export const SAGA_HOPS: readonly { name: string; kind: HopKind; covers: string }[] = [
  { name: 'order: commit + relay', kind: 'commit', covers: 'order row -> OrderCreated sent' },
  { name: 'stock: delivery', kind: 'delivery', covers: 'OrderCreated sent -> stock inbox row' },
  { name: 'stock: apply', kind: 'apply', covers: 'stock inbox row -> reservation row' },
  { name: 'stock: commit + relay', kind: 'commit', covers: 'reservation row -> StockReserved sent' },
  { name: 'payment: delivery', kind: 'delivery', covers: 'StockReserved sent -> payment inbox row' },
  { name: 'payment: apply', kind: 'apply', covers: 'payment inbox row -> payment row' },
  { name: 'payment: commit + relay', kind: 'commit', covers: 'payment row -> PaymentCompleted sent' },
  { name: 'shipment: delivery', kind: 'delivery', covers: 'PaymentCompleted sent -> shipment inbox row' },
  { name: 'shipment: apply', kind: 'apply', covers: 'shipment inbox row -> shipment row' },
  { name: 'shipment: commit + relay', kind: 'commit', covers: 'shipment row -> ShipmentCompleted sent' },
  { name: 'order: delivery', kind: 'delivery', covers: 'ShipmentCompleted sent -> order inbox row' },
  { name: 'order: apply', kind: 'apply', covers: 'order inbox row -> order row COMPLETED (updated_at)' },
];

const SAGA_TOPICS = ['order.created.v1', 'stock.reserved.v1', 'payment.completed.v1', 'shipment.completed.v1'] as const;
/** The consumer (inbox) that applies each of SAGA_TOPICS on the critical path. */
const CONSUMERS = ['stock-service', 'payment-service', 'shipment-service', 'order-service'] as const;

export interface HopTrace {
  /** Orders traced (completed ones of the sample). */
  orders: number;
  hops: Hop[];
  /** order row created_at -> updated_at (COMPLETED), the same figure the saga runs report. */
  totalMs: Spread;
}

/** An event as first appended: its Kafka CreateTime and its envelope's event id. */
export interface Sent {
  at: number;
  eventId: string;
}

/** CreateTime and event id of the first event of `topic` for each of `keys` (read from the start of the topic to its end now). */
export async function eventTimes(
  kafka: Kafka,
  topic: string,
  keys: ReadonlySet<string>,
  timeoutMs = 60_000,
): Promise<Map<string, Sent>> {
  const times = new Map<string, Sent>();
  for (const m of await readTopic(kafka, topic, { timeoutMs, groupPrefix: 'bench-trace' })) {
    const key = m.key?.toString();
    // the first append of a key: a redelivered duplicate does not move the mark
    if (key && keys.has(key) && !times.has(key) && m.value) {
      const { eventId } = JSON.parse(m.value.toString()) as { eventId: string };
      times.set(key, { at: Number(m.timestamp), eventId });
    }
  }
  return times;
}

interface Stamped {
  id: string;
  at: Date;
}

/** Per-hop times of the completed orders among `orderIds` (at most `sample` of them). */
export async function traceSaga(
  db: Db,
  kafka: Kafka,
  topicPrefix: string,
  orderIds: readonly string[],
  sample = 1000,
): Promise<HopTrace> {
  const ids = orderIds.slice(0, sample);
  const empty = { orders: 0, hops: SAGA_HOPS.map((h) => ({ ...h, ms: spread([]) })), totalMs: spread([]) };
  if (ids.length === 0) return empty;
  const byId = async (sql: string) => new Map((await db.rows<Stamped>(sql, [ids])).map((r) => [r.id, r.at.getTime()]));
  const created = await byId('SELECT id, created_at AS at FROM order_order WHERE id IN (?)');
  const completed = await byId("SELECT id, updated_at AS at FROM order_order WHERE id IN (?) AND status = 'COMPLETED'");
  const stock = await byId('SELECT order_id AS id, created_at AS at FROM stock_reservation WHERE order_id IN (?)');
  const payment = await byId('SELECT order_id AS id, created_at AS at FROM payment_payment WHERE order_id IN (?)');
  const shipment = await byId('SELECT order_id AS id, created_at AS at FROM shipment_shipment WHERE order_id IN (?)');
  const keys = new Set(ids);
  const sent: Map<string, Sent>[] = [];
  for (const t of SAGA_TOPICS) sent.push(await eventTimes(kafka, `${topicPrefix}${t}`, keys));
  // inbox rows of the four consumers on the critical path, by event id
  const inbox: Map<string, number>[] = [];
  for (let i = 0; i < CONSUMERS.length; i++) {
    const eventIds = [...sent[i].values()].map((e) => e.eventId);
    const rows = eventIds.length
      ? await db.rows<Stamped>(
          'SELECT event_id AS id, processed_at AS at FROM processed_event WHERE consumer = ? AND event_id IN (?)',
          [CONSUMERS[i], eventIds],
        )
      : [];
    inbox.push(new Map(rows.map((r) => [r.id, r.at.getTime()])));
  }
  const inboxOf = (i: number, id: string) => {
    const e = sent[i].get(id);
    return e && inbox[i].get(e.eventId);
  };

  const segments: number[][] = SAGA_HOPS.map(() => []);
  const totals: number[] = [];
  for (const id of ids) {
    // order row, then per consumer on the path: the event it consumes sent, its inbox row, its own row
    const rowOf = [stock, payment, shipment, completed];
    const marks = [created.get(id)];
    for (let i = 0; i < CONSUMERS.length; i++) marks.push(sent[i].get(id)?.at, inboxOf(i, id), rowOf[i].get(id));
    if (marks.some((m) => m === undefined)) continue;
    const m = marks as number[];
    for (let i = 0; i < SAGA_HOPS.length; i++) segments[i].push(m[i + 1] - m[i]);
    totals.push(m[m.length - 1] - m[0]);
  }
  return {
    orders: totals.length,
    hops: SAGA_HOPS.map((h, i) => ({ ...h, ms: spread(segments[i]) })),
    totalMs: spread(totals),
  };
}
