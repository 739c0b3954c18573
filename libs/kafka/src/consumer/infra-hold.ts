import { backoffMs, sleep } from './backoff';
import { classifyFailure } from './failure';

/** The partition was given up while held (consumer stopping, rebalance): its batch ends here, uncommitted. */
export class PartitionReleased extends Error {
  override name = 'PartitionReleased';
}

export interface InfraHoldOptions {
  /** First wait after an infrastructure failure; doubles per attempt up to capMs. */
  baseMs: number;
  capMs: number;
  /** Keeps the group membership alive while waiting; rejects when the group is rebalancing. */
  heartbeat: () => Promise<void>;
  /** False once the consumer stops or the batch went stale. */
  isActive: () => boolean;
  /** Called once when work starts being held, and once when it succeeds again. */
  onHold?: (error: unknown) => void;
  onResume?: (heldMs: number) => void;
}

/**
 * Runs work for one partition's batch, waiting out infrastructure failures (database or broker
 * unavailable) for as long as they last: the partition is held — nothing after this batch is
 * fetched for it — and retried with capped exponential backoff, so it resumes by itself within
 * capMs of the dependency coming back. Any other failure is the caller's to judge.
 */
export class InfraHold {
  private heldSince?: number;

  constructor(private readonly options: InfraHoldOptions) {}

  get held(): boolean {
    return this.heldSince !== undefined;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await work();
        if (this.heldSince !== undefined) {
          this.options.onResume?.(Date.now() - this.heldSince);
          this.heldSince = undefined;
        }
        return value;
      } catch (error) {
        if (classifyFailure(error) !== 'infrastructure') throw error;
        if (this.heldSince === undefined) {
          this.heldSince = Date.now();
          this.options.onHold?.(error);
        }
        await this.pause(backoffMs(attempt, this.options.baseMs, this.options.capMs));
      }
    }
  }

  /** Waits, then checks the partition is still ours; throws PartitionReleased otherwise. */
  async pause(ms: number): Promise<void> {
    await sleep(ms);
    if (!this.options.isActive()) throw this.release();
    try {
      await this.options.heartbeat();
    } catch {
      throw this.release();
    }
  }

  private release(): PartitionReleased {
    if (this.heldSince !== undefined) this.options.onResume?.(Date.now() - this.heldSince);
    this.heldSince = undefined;
    return new PartitionReleased('partition released while its batch was held');
  }
}
