import { Logger } from '@nestjs/common';
import { OutboxSignal, Prisma, PrismaService } from '@app/database';
import { EventProducer } from './event-producer';
import { Header } from '@app/events';

interface OutboxRow {
  id: bigint;
  topic: string;
  key: string;
  value: string;
}

export interface OutboxRelayOptions {
  service: string;
  batchSize: number;
  pollMs: number;
}

/**
 * Publishes the service's outbox rows in id order and deletes them once the broker acknowledged.
 * Woken right after each commit that staged events; polls as a fallback (rows left by a crash).
 * Rows are locked FOR UPDATE SKIP LOCKED, so several instances never publish the same row twice
 * at once; a crash between publish and delete re-publishes, which idempotent consumers absorb.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
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

  /** Stops after publishing what is already committed (bounded to a few seconds). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.signal.notify();
    await this.loop;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await this.drainOnce()) > 0);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const published = await this.drainOnce();
        if (published < this.options.batchSize) await this.signal.wait(this.options.pollMs);
      } catch (error) {
        this.log.error(`outbox publish failed, will retry: ${(error as Error).message}`);
        await this.signal.wait(Math.max(this.options.pollMs, 1000));
      }
    }
  }

  /** Publishes one batch; returns how many rows it published. */
  async drainOnce(): Promise<number> {
    const { service, batchSize } = this.options;
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT id, topic, \`key\`, value FROM outbox_event
          WHERE service = ${service} ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        await this.producer.send(
          rows.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: { [Header.EventType]: r.topic } })),
        );
        await tx.$executeRaw`DELETE FROM outbox_event WHERE id IN (${Prisma.join(rows.map((r) => r.id))})`;
        return rows.length;
      },
      // READ COMMITTED: no gap locks, so the relay's locking read and DELETE do not deadlock with
      // transactions inserting new outbox rows at the same moment (seen under 200 concurrent orders).
      { timeout: 30_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
    );
  }
}
