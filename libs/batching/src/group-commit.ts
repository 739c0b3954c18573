export interface GroupCommitOptions {
  /** Most items written by one flush (one multi-row insert, one producer request). */
  maxBatch: number;
  /** How long the first item of a batch waits for company when the system is idle. */
  lingerMs: number;
  /** Flushes running at once; items arriving meanwhile pile up into the next batch. */
  maxInFlight: number;
}

/**
 * What a flush hands back: one result per item, in the items' order (`submit` resolves with its
 * item's own), or nothing when the group only needs to know that the flush succeeded.
 */
export type FlushResults<R> = [R] extends [void] ? void : readonly R[];

interface Waiter<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: many concurrent callers share one flush — one transaction (coupon claims, new
 * orders), one acknowledged Kafka send, one merged consumer call. Each submit() resolves only when
 * the flush that carried its item succeeded, with that item's own result, and rejects with the
 * flush's error otherwise — so a request is never answered before its own write is durable, and
 * never told "accepted" when it was not.
 */
export class GroupCommit<T, R = void> {
  private queue: Waiter<T, R>[] = [];
  private inFlight = 0;
  private timer?: { cancel(): void };
  private readonly flushes = new Set<Promise<void>>();

  constructor(
    private readonly flush: (items: T[]) => Promise<FlushResults<R>>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.pump();
      else this.timer ??= this.later(() => this.pump());
    });
  }

  /** Nothing queued and nothing in flight. */
  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0;
  }

  /** Flushes what is queued and waits for every flush in flight (shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushes.size > 0) {
      this.pump();
      await Promise.allSettled([...this.flushes]);
    }
  }

  /**
   * The first item's wait for company. With no linger it is the rest of this turn of the event
   * loop (setImmediate: what arrived in the same I/O round joins), not setTimeout(0), which is a
   * whole millisecond or more on every hop of the saga.
   */
  private later(run: () => void): { cancel(): void } {
    if (this.options.lingerMs <= 0) {
      const immediate = setImmediate(run);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timeout = setTimeout(run, this.options.lingerMs);
    return { cancel: () => clearTimeout(timeout) };
  }

  private pump(): void {
    this.timer?.cancel();
    this.timer = undefined;
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      const running = this.run(batch);
      this.flushes.add(running);
      void running.finally(() => {
        this.flushes.delete(running);
        this.inFlight--;
        // Whatever queued up while this flush ran goes out at once: it has already waited.
        if (this.queue.length > 0) this.pump();
      });
    }
  }

  private async run(batch: Waiter<T, R>[]): Promise<void> {
    let results: readonly R[] | void;
    try {
      results = (await this.flush(batch.map((w) => w.item))) as readonly R[] | void;
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    if (results === undefined) {
      for (const w of batch) w.resolve(undefined as R);
    } else if (results.length !== batch.length) {
      const error = new Error(`group commit: the flush returned ${results.length} results for ${batch.length} items`);
      for (const w of batch) w.reject(error);
    } else {
      batch.forEach((w, i) => w.resolve(results[i]));
    }
  }
}
