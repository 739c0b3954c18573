/** Commits the offsets resolved so far (kafkajs: commitOffsetsIfNecessary(uncommittedOffsets())). */
export type CommitResolved = () => Promise<void>;

/**
 * Commits a consumer's resolved offsets in the background, at most once per interval, instead of
 * after every batch. kafkajs' autoCommit sends an OffsetCommit after each batch and only then
 * fetches again, so every hop of the saga paid one more broker round trip before it could see the
 * next event. An offset is still only resolved after its message was applied or dead-lettered;
 * committing it later can only mean a redelivery after a crash or a rebalance, which the
 * consumers' inbox absorbs (an event id is applied at most once per group).
 */
export class OffsetCommitter {
  private timer?: NodeJS.Timeout;
  private pending?: CommitResolved;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Offsets were resolved: commit them within intervalMs (`commit` reads what is resolved when it runs). */
  resolved(commit: CommitResolved): void {
    this.pending = commit;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
  }

  /** Commits what is resolved now, after any commit in flight; never rejects (errors go to onError). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const commit = this.pending;
    this.pending = undefined;
    if (!commit) return this.running;
    this.running = this.running.then(() => commit().catch(this.onError));
    return this.running;
  }

  /** Forgets what is pending (the consumer is gone; its successor starts from the committed offsets). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}
