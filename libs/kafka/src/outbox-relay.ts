import { Logger } from '@nestjs/common';
import { CommittedEvent, OutboxSignal, Prisma, PrismaService, retryOnDeadlock } from '@app/database';
import { Header } from '@app/events';
import { EventProducer } from './event-producer';

interface OutboxRow extends CommittedEvent {
  id: bigint;
}

export interface OutboxRelayOptions {
  service: string;
  batchSize: number;
  /** How often the table is swept for rows that were not published right after their commit. */
  pollMs: number;
  /** Only rows at least this old are swept (younger ones are still on their way); default 5 s. */
  orphanAgeMs?: number;
}

const DEFAULT_ORPHAN_AGE_MS = 5000;
/** Published rows are deleted in groups, at the latest this long after the first was published. */
const DELETE_LINGER_MS = 100;

/**
 * Publishes the service's outbox. Each commit hands its rows to the relay (OutboxSignal), which
 * publishes them at once, nothing read back, and deletes published rows by event id in groups
 * (one DELETE per up to batchSize rows or 100 ms). A sweep of the table every pollMs publishes,
 * in id order, rows that are older than a few seconds — left by a crash, a failed send or a
 * stopped instance — locking them FOR UPDATE SKIP LOCKED so two instances never sweep the same
 * row at once.
 *
 * Delivery is at least once: a crash between send and delete, or a sweep racing a slow direct
 * send, publishes a row twice, which the idempotent consumers absorb. A swept row may reach Kafka
 * after younger rows of the same key; in this system the events of one key from one service are
 * causally chained (the next is only emitted after the previous was consumed), so that cannot
 * reorder a flow.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private nextSweep = 0;
  private published: string[] = [];
  private deleteDue = Infinity;
  private deleting?: Promise<void>;
  /** When publishing started failing (one log line then, one when it works again). */
  private failingSince?: number;
  private readonly log = new Logger('OutboxRelay');

  constructor(
    private readonly prisma: PrismaService,
    private readonly producer: EventProducer,
    private readonly signal: OutboxSignal,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after publishing what this process committed (bounded to a few seconds). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.signal.notify();
    await this.loop;
    await this.deleting;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await this.publishCommitted()) > 0);
    await this.deletePublished();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        let published = await this.publishCommitted();
        // Deleting published rows runs beside publishing: a commit arriving meanwhile is sent at
        // once instead of after a DELETE round trip (at most one DELETE in flight).
        if (this.published.length >= this.options.batchSize || Date.now() >= this.deleteDue) this.deleteInBackground();
        if (Date.now() >= this.nextSweep) {
          await this.deleting;
          await this.deletePublished();
          const swept = await this.sweepOnce();
          published += swept;
          // a full sweep batch means more are waiting: sweep again without pausing
          this.nextSweep = swept < this.options.batchSize ? Date.now() + this.options.pollMs : 0;
        }
        if (this.failingSince !== undefined && published > 0) {
          this.log.log(`outbox publishing again after ${((Date.now() - this.failingSince) / 1000).toFixed(1)} s`);
          this.failingSince = undefined;
        }
        // (a DELETE in flight takes whatever is published meanwhile along: no need to wake for it)
        const wakeAt = this.deleting ? this.nextSweep : Math.min(this.nextSweep, this.deleteDue);
        if (published === 0) await this.signal.wait(Math.max(0, wakeAt - Date.now()));
      } catch (error) {
        // Rows stay in the table until published: a broker or database outage delays them, and
        // the sweep sends them once it is over. One line when it starts, not one per try.
        this.failing(error);
        await this.signal.wait(Math.max(this.options.pollMs, 1000));
      }
    }
  }

  /**
   * Publishes the rows handed over by commits of this process, one batch; returns how many. If the
   * send fails the rows stay in the table and the sweep publishes them later.
   */
  async publishCommitted(): Promise<number> {
    const rows = this.signal.take(this.options.batchSize);
    if (rows.length === 0) return 0;
    await this.producer.send(rows.map(toMessage));
    if (this.published.length === 0) this.deleteDue = Date.now() + DELETE_LINGER_MS;
    for (const r of rows) this.published.push(r.eventId);
    return rows.length;
  }

  /** One line when publishing or deleting starts failing, not one per try. */
  private failing(error: unknown): void {
    if (this.failingSince !== undefined) return;
    this.failingSince = Date.now();
    this.log.warn(`outbox publish failed, retrying every ${Math.max(this.options.pollMs, 1000)} ms: ${(error as Error).message}`);
  }

  /**
   * Starts deleting the rows published so far unless a DELETE is running. A failure leaves the
   * ids queued for the next try (the rows are published: at worst a sweep sends them again) and
   * counts as the outage the run loop reports once.
   */
  private deleteInBackground(): void {
    if (this.deleting) return;
    this.deleting = this.deletePublished()
      .catch((error: unknown) => this.failing(error))
      .finally(() => (this.deleting = undefined));
  }

  /** Deletes the rows published so far (a crash before this re-publishes them: at least once). */
  private async deletePublished(): Promise<void> {
    while (this.published.length > 0) {
      const ids = this.published.slice(0, this.options.batchSize);
      await retryOnDeadlock(() => this.deleteByEventId(ids));
      this.published.splice(0, ids.length);
    }
    this.deleteDue = Infinity;
  }

  /**
   * Deletes rows by event id without locking any other row. The outbox is small by design (rows
   * live until published), so a DELETE by a list of event ids that is a fair part of the table is
   * planned as a full scan (measured on MariaDB 11.4: 100 ids of 600 rows), and a scanning DELETE
   * locks every row and gap of the table — every service's commits then wait for it, and two
   * relays deadlock. So: the primary keys by a plain read (no locks, any plan), then a DELETE by
   * primary key with the index forced, which locks exactly those rows.
   */
  private async deleteByEventId(eventIds: string[]): Promise<void> {
    const rows = await this.prisma.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM outbox_event WHERE event_id IN (${Prisma.join(eventIds)})`;
    if (rows.length === 0) return;
    await this.prisma.$executeRaw`
      DELETE o FROM outbox_event AS o FORCE INDEX (PRIMARY) WHERE o.id IN (${Prisma.join(rows.map((r) => r.id))})`;
  }

  /**
   * Age of this service's oldest unpublished row, or null when none waits (for /health). One
   * lookup on the (service, id) index: the lowest id is the row written first.
   */
  async oldestPendingAgeMs(): Promise<number | null> {
    const rows = await this.prisma.$queryRaw<{ createdAt: Date }[]>`
      SELECT created_at AS createdAt FROM outbox_event WHERE service = ${this.options.service} ORDER BY id LIMIT 1`;
    // created_at is written by Prisma from this clock (see sweepOnce)
    return rows.length === 0 ? null : Math.max(0, Date.now() - rows[0].createdAt.getTime());
  }

  /** Publishes one batch of rows that were not published after their commit; returns how many. */
  async sweepOnce(): Promise<number> {
    const { service, batchSize } = this.options;
    // created_at is written by Prisma from this clock, so the cut-off is computed here too
    const before = new Date(Date.now() - (this.options.orphanAgeMs ?? DEFAULT_ORPHAN_AGE_MS));
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT id, topic, \`key\`, value, event_id AS eventId FROM outbox_event
          WHERE service = ${service} AND created_at < ${before}
          ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        await this.producer.send(rows.map(toMessage));
        // by primary key, index forced: only these rows are locked (see deleteByEventId)
        await tx.$executeRaw`
          DELETE o FROM outbox_event AS o FORCE INDEX (PRIMARY) WHERE o.id IN (${Prisma.join(rows.map((r) => r.id))})`;
        this.log.warn(`swept ${rows.length} outbox row(s) that were not published after their commit`);
        return rows.length;
      },
      // READ COMMITTED: no gap locks, so the sweep's locking read and DELETE do not deadlock with
      // transactions inserting new outbox rows at the same moment.
      { timeout: 30_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
    );
  }
}

const toMessage = (r: CommittedEvent) => ({
  topic: r.topic,
  key: r.key,
  value: r.value,
  headers: { [Header.EventType]: r.topic },
});
