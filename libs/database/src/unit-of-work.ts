import { createEnvelope, encodeEvent, Envelope, PayloadOf, Topic } from '@app/events';
import { Prisma } from './generated/prisma/client';
import { PrismaService } from './prisma.service';
import { CommittedEvent, OutboxSignal } from './outbox-signal';
import { insertMany } from './insert-many';
import { retryOnDeadlock } from './deadlock';

export { retryOnDeadlock } from './deadlock';

export type Tx = Prisma.TransactionClient;
/** Stages an event in the transaction's outbox; it is published only if the transaction commits. */
export type Emit = <T extends Topic>(topic: T, payload: PayloadOf<T>) => void;

/** Where staged events come from: a new flow (its correlation id and who asked) or a consumed event. */
interface Origin {
  correlationId?: string;
  actor?: string | null;
  cause?: Envelope;
}

/** A new flow started by a request: its correlation id, and the authenticated subject that sent it. */
export interface FlowOrigin {
  correlationId: string;
  actor: string | null;
}

export interface RunOptions {
  /** Correlation id for events emitted by a new flow (e.g. an HTTP request). */
  correlationId?: string;
  /** Who started that flow (the request's authenticated subject). */
  actor?: string | null;
  /** The consumed event this work reacts to: correlation and causation come from it. */
  cause?: Envelope;
  /** How long to wait for a pooled connection, and how long the transaction may run (ms). */
  maxWait?: number;
  timeout?: number;
}

// Prisma's defaults (2 s to get a connection, 5 s to run) turn a burst of requests into errors;
// a queue for the pool is the better answer under load.
const DEFAULT_MAX_WAIT_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The one way state changes and events are written together: the state change and the outbox rows
 * commit in one transaction (no orphan rows, no lost events). runOnce adds the idempotency record
 * of the consumed event to the same transaction, so a redelivered event changes nothing.
 */
export class UnitOfWork {
  constructor(
    private readonly prisma: PrismaService,
    private readonly signal: OutboxSignal,
    private readonly service: string,
  ) {}

  run<R>(work: (tx: Tx, emit: Emit) => Promise<R>, options: RunOptions = {}): Promise<R> {
    return retryOnDeadlock(() => this.transaction((tx, emitFor) => work(tx, emitFor(options)), options));
  }

  /**
   * Like run, for work done on behalf of several flows at once (a group commit of many HTTP
   * requests, a batch of consumed events): `emitFor({ correlationId, actor })` stages an event of
   * that new flow, `emitFor(event)` one caused by that consumed event (its correlation and actor,
   * its id as causation).
   */
  runForEach<R>(work: (tx: Tx, emitFor: (origin: FlowOrigin | Envelope) => Emit) => Promise<R>, options: RunOptions = {}): Promise<R> {
    return retryOnDeadlock(() => this.transaction((tx, emitFor) => work(tx, (origin) => emitFor('eventId' in origin ? { cause: origin } : origin)), options));
  }

  /**
   * One transaction whose events may each belong to their own flow: `emitFor(origin)` stages
   * events with that correlation or cause. Staged rows are written once, at the end, in one insert.
   */
  private async transaction<R>(
    work: (tx: Tx, emitFor: (origin: Origin) => Emit) => Promise<R>,
    options: RunOptions,
  ): Promise<R> {
    const staged: Envelope[] = [];
    const emitFor =
      ({ cause, correlationId, actor }: Origin): Emit =>
      (topic, payload) => {
        staged.push(createEnvelope(topic, payload, { producer: this.service, correlationId, actor, cause }) as Envelope);
      };
    let rows: CommittedEvent[] = [];
    const result = await this.prisma.$transaction(
      async (tx) => {
        const value = await work(tx, emitFor);
        rows = staged.map((envelope) => ({ topic: envelope.type, eventId: envelope.eventId, ...encodeEvent(envelope) }));
        const at = new Date();
        await insertMany(
          tx,
          'outbox_event',
          rows.map((r) => ({ service: this.service, topic: r.topic, key: r.key, event_id: r.eventId, value: r.value, created_at: at })),
        );
        return value;
      },
      { maxWait: options.maxWait ?? DEFAULT_MAX_WAIT_MS, timeout: options.timeout ?? DEFAULT_TIMEOUT_MS },
    );
    // committed: hand the rows to the relay, which publishes them now (the table keeps them until then)
    if (rows.length > 0) this.signal.notify(rows);
    return result;
  }

  /**
   * Applies a consumed event at most once per consumer group. Returns false when the event had
   * already been applied (the work is then not run).
   */
  async runOnce(
    consumer: string,
    cause: Envelope,
    work: (tx: Tx, emit: Emit) => Promise<void>,
  ): Promise<boolean> {
    return (await this.runOnceEach(consumer, [cause], work)) === 1;
  }

  /**
   * Applies a batch of consumed events in one transaction, each at most once per consumer group:
   * events applied before (or repeated inside the batch) are left out, `work` gets the others
   * (in order) and `emitFor(event)` to stage events caused by one of them; their idempotency
   * records, state changes and emitted events commit together — one commit for the batch. If
   * `work` throws, the whole batch rolls back (the transport then retries the events one by one,
   * so only a poison event is dead-lettered). Returns how many events were applied.
   */
  async runOnceBatch<E extends Envelope>(
    consumer: string,
    events: E[],
    work: (tx: Tx, fresh: E[], emitFor: (cause: E) => Emit) => Promise<void>,
  ): Promise<number> {
    if (events.length === 0) return 0;
    return retryOnDeadlock(() =>
      this.transaction(async (tx, emitFor) => {
        const fresh = await this.claimFirstDelivery(tx, consumer, events);
        if (fresh.length > 0) await work(tx, fresh, (cause) => emitFor({ cause }));
        return fresh.length;
      }, {}),
    );
  }

  /** runOnceBatch for work written one event at a time (still one transaction for the batch). */
  runOnceEach<E extends Envelope>(
    consumer: string,
    events: E[],
    work: (tx: Tx, emit: Emit, event: E) => Promise<void>,
  ): Promise<number> {
    return this.runOnceBatch(consumer, events, async (tx, fresh, emitFor) => {
      for (const event of fresh) await work(tx, emitFor(event), event);
    });
  }

  /**
   * Records the events as processed by `consumer` and returns those that were not already. The
   * usual case (no event seen before) costs one multi-row INSERT; only when it hits an existing
   * row (InnoDB then undoes just that statement) are the known ids read and the rest inserted.
   * A concurrent transaction recording the same event (two instances during a rebalance) makes
   * that second insert fail, so the batch rolls back and is retried: never applied twice.
   */
  private async claimFirstDelivery<E extends Envelope>(tx: Tx, consumer: string, events: E[]): Promise<E[]> {
    const unique = [...new Map(events.map((e) => [e.eventId, e])).values()];
    const insert = (list: E[]) =>
      tx.$executeRaw`INSERT INTO processed_event (consumer, event_id)
        VALUES ${Prisma.join(list.map((e) => Prisma.sql`(${consumer}, ${e.eventId})`))}`;
    try {
      await insert(unique);
      return unique;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const seen = new Set(
      (
        await tx.$queryRaw<{ event_id: string }[]>`
          SELECT event_id FROM processed_event
          WHERE consumer = ${consumer} AND event_id IN (${Prisma.join(unique.map((e) => e.eventId))})`
      ).map((r) => r.event_id),
    );
    const fresh = unique.filter((e) => !seen.has(e.eventId));
    if (fresh.length > 0) await insert(fresh);
    return fresh;
  }
}

const isDuplicateKey = (error: unknown): boolean => /\b1062\b|Duplicate entry/.test(String((error as Error)?.message));
