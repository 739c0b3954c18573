import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Prisma } from './generated/prisma/client';
import { PrismaService } from './prisma.service';

export const DAY_MS = 86_400_000;

export interface InboxRetentionOptions {
  /** Rows older than this are deleted (INBOX_RETENTION_DAYS × DAY_MS). */
  retentionMs: number;
  /** Rows per DELETE (default 1000): short statements holding few locks. */
  batchSize?: number;
  /** Mean time between runs (default 5 min); each wait is drawn from ±25 % of it. */
  intervalMs?: number;
}

export interface RetentionRun {
  deleted: number;
  /** DELETE statements it took. */
  batches: number;
  /** Rows processed before this (database time) were deleted. */
  cutoff: string;
}

const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_INTERVAL_MS = 5 * 60_000;

/**
 * Keeps the inbox (processed_event, UnitOfWork.runOnce's record of applied events) bounded: every
 * few minutes, rows older than the retention are deleted, oldest first, in batches of batchSize
 * until a batch comes back short. Every app runs it (DatabaseModule); several instances at once
 * only share the work. A run never overlaps the previous one, logs one line when it deleted
 * something, and a failure (database away) is logged and tried again at the next run.
 *
 * Duplicates inside the window are still refused: only rows older than the retention go, so the
 * retention must outlast any redelivery (see INBOX_RETENTION_DAYS).
 */
export class InboxRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('InboxRetention');
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<RetentionRun>;
  private started = false;
  /** Set by stop(): a run in progress ends after its current batch. */
  private halted = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly options: InboxRetentionOptions,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  // Before PrismaService disconnects (onApplicationShutdown): a run in progress finishes first.
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.halted = false;
    // The first run anywhere in the first interval, so apps started together do not run together.
    this.schedule(Math.random() * this.intervalMs);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.halted = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes the expired rows now; joins the run in progress, if any, instead of starting another. */
  runOnce(): Promise<RetentionRun> {
    this.running ??= this.deleteExpired().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref(); // never what keeps a process alive
  }

  private async tick(): Promise<void> {
    try {
      const { deleted, batches, cutoff } = await this.runOnce();
      if (deleted > 0) this.log.log(`deleted ${deleted} processed_event row(s) processed before ${cutoff} in ${batches} batch(es)`);
    } catch (error) {
      this.log.warn(`inbox retention failed, will try again at the next run: ${(error as Error)?.message ?? String(error)}`);
    }
    this.schedule(this.intervalMs * (0.75 + Math.random() / 2));
  }

  private async deleteExpired(): Promise<RetentionRun> {
    // The cut-off comes from the database clock, which wrote processed_at (CURRENT_TIMESTAMP(3)),
    // and stays fixed for the run, so rows expiring meanwhile cannot keep the loop going.
    const microseconds = Math.round(this.options.retentionMs * 1000);
    const [{ cutoff }] = await this.prisma.$queryRaw<{ cutoff: string }[]>`
      SELECT DATE_FORMAT(NOW(3) - INTERVAL ${microseconds} MICROSECOND, '%Y-%m-%d %H:%i:%s.%f') AS cutoff`;
    const run: RetentionRun = { deleted: 0, batches: 0, cutoff };
    for (;;) {
      // READ COMMITTED: no gap locks, so consumers inserting new rows meanwhile are never held up.
      const deleted = await this.prisma.$transaction(
        (tx) => tx.$executeRaw`DELETE FROM processed_event WHERE processed_at < ${cutoff} ORDER BY processed_at LIMIT ${this.batchSize}`,
        { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
      );
      run.deleted += deleted;
      run.batches++;
      if (deleted < this.batchSize || this.halted) return run;
    }
  }
}
