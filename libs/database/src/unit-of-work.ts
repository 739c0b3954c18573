import { createEnvelope, encodeEvent, Envelope, PayloadOf, Topic } from '@app/events';
import { Prisma } from './generated/prisma/client';
import { PrismaService } from './prisma.service';
import { OutboxSignal } from './outbox-signal';

export type Tx = Prisma.TransactionClient;
/** Stages an event in the transaction's outbox; it is published only if the transaction commits. */
export type Emit = <T extends Topic>(topic: T, payload: PayloadOf<T>) => void;

export interface RunOptions {
  /** Correlation id for events emitted by a new flow (e.g. an HTTP request). */
  correlationId?: string;
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

// InnoDB resolves a deadlock by rolling one transaction back; it is meant to be retried.
const DEADLOCK_ATTEMPTS = 3;
const isDeadlock = (error: unknown): boolean =>
  (error as { code?: string } | null)?.code === 'P2034' || /\b1213\b|Deadlock found/.test(String((error as Error)?.message));

/**
 * Runs a statement or transaction again when InnoDB chose it as a deadlock victim (it was rolled
 * back entirely, so running it again is safe), up to three attempts in all.
 */
export async function retryOnDeadlock<R>(work: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

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
    return retryOnDeadlock(() => this.runTransaction(work, options));
  }

  private async runTransaction<R>(work: (tx: Tx, emit: Emit) => Promise<R>, options: RunOptions): Promise<R> {
    const staged: Envelope[] = [];
    const emit: Emit = (topic, payload) => {
      staged.push(
        createEnvelope(topic, payload, {
          producer: this.service,
          correlationId: options.correlationId,
          cause: options.cause,
        }) as Envelope,
      );
    };
    const result = await this.prisma.$transaction(
      async (tx) => {
        const value = await work(tx, emit);
        if (staged.length > 0) await this.stage(tx, staged);
        return value;
      },
      { maxWait: options.maxWait ?? DEFAULT_MAX_WAIT_MS, timeout: options.timeout ?? DEFAULT_TIMEOUT_MS },
    );
    if (staged.length > 0) this.signal.notify();
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
    return this.run(
      async (tx, emit) => {
        const inserted = await tx.$executeRaw`INSERT IGNORE INTO processed_event (consumer, event_id) VALUES (${consumer}, ${cause.eventId})`;
        if (inserted === 0) return false;
        await work(tx, emit);
        return true;
      },
      { cause },
    );
  }

  private async stage(tx: Tx, envelopes: Envelope[]): Promise<void> {
    await tx.outboxEvent.createMany({
      data: envelopes.map((envelope) => {
        const { key, value } = encodeEvent(envelope);
        return { service: this.service, topic: envelope.type, key, eventId: envelope.eventId, value };
      }),
    });
  }
}
