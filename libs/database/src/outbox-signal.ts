import { EventEmitter } from 'node:events';

/**
 * Wakes this process's outbox relay right after a transaction that staged events commits,
 * so events go out promptly; the relay's poll covers rows left by a crashed process.
 */
export class OutboxSignal {
  private readonly emitter = new EventEmitter();

  notify(): void {
    this.emitter.emit('staged');
  }

  /** Resolves on the next notify() or after ms, whichever comes first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off('staged', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.once('staged', done);
    });
  }
}
