import { EventEmitter } from 'node:events';

/**
 * Wakes this process's outbox relay right after a transaction that staged events commits,
 * so events go out promptly; the relay's poll covers rows left by a crashed process.
 * A notify() that arrives while the relay is busy publishing is remembered, so the next wait()
 * returns at once instead of sleeping a whole poll interval with rows waiting.
 */
export class OutboxSignal {
  private readonly emitter = new EventEmitter();
  private pending = false;

  notify(): void {
    this.pending = true;
    this.emitter.emit('staged');
  }

  /** Resolves on the next notify() (or a missed one) or after ms, whichever comes first. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off('staged', done);
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.once('staged', done);
    });
  }
}
