import { EventEmitter } from 'node:events';

/** An outbox row as committed: what the relay publishes and then deletes by event id. */
export interface CommittedEvent {
  topic: string;
  key: string;
  value: string;
  eventId: string;
}

const MAX_HANDED_OVER = 20_000;

/**
 * Hands the outbox rows of each commit to this process's relay, so that they are published right
 * away without reading them back; the relay's periodic sweep of the table covers rows left by a
 * crash or a failed publish. A notify() that arrives while the relay is busy publishing is
 * remembered, so the next wait() returns at once instead of sleeping a whole interval.
 */
export class OutboxSignal {
  private readonly emitter = new EventEmitter();
  private pending = false;
  private committed: CommittedEvent[] = [];

  notify(events: CommittedEvent[] = []): void {
    for (const e of events) this.committed.push(e);
    // While Kafka is down the relay cannot keep up: forget the oldest, the sweep has them.
    if (this.committed.length > MAX_HANDED_OVER) this.committed.splice(0, this.committed.length - MAX_HANDED_OVER);
    this.pending = true;
    this.emitter.emit('staged');
  }

  /** The committed events handed over since the last take(), oldest first. */
  take(max = Infinity): CommittedEvent[] {
    return this.committed.splice(0, max);
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
