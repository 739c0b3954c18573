import { Consumer } from 'kafkajs';

export type ConsumerState = 'starting' | 'joined' | 'rebalancing' | 'stopped' | 'crashed';

export interface ConsumerHealth {
  state: ConsumerState;
  /** Partitions held because a dependency (database, broker) is unavailable. */
  pausedPartitions: number;
  /** Why the consumer is not joined, or what holds its partitions. */
  reason?: string;
}

/** Follows a kafkajs consumer's group membership through its instrumentation events. */
export class ConsumerStateTracker {
  state: ConsumerState = 'starting';
  reason?: string;
  private joinedOnce!: () => void;
  /** Resolves at the first join. */
  readonly firstJoin = new Promise<void>((resolve) => (this.joinedOnce = resolve));

  watch(consumer: Consumer): void {
    const { GROUP_JOIN, REBALANCING, CRASH, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, () => {
      this.set('joined');
      this.joinedOnce();
    });
    consumer.on(REBALANCING, () => this.set('rebalancing', 'group is rebalancing'));
    consumer.on(CRASH, (e) => {
      const message = (e.payload.error as Error | undefined)?.message ?? 'crashed';
      // kafkajs restarts the consumer by itself after a retriable crash (broker gone)
      this.set(e.payload.restart ? 'starting' : 'crashed', message);
    });
    consumer.on(STOP, () => this.set('stopped', 'consumer stopped'));
  }

  set(state: ConsumerState, reason?: string): void {
    this.state = state;
    this.reason = reason;
  }
}
