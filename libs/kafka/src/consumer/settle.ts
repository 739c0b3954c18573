import { backoffMs } from './backoff';
import { classifyFailure } from './failure';
import { InfraHold, PartitionReleased } from './infra-hold';

export interface SettleOptions<E> {
  /** One handler call for these events (one transaction); a single event is a list of one. */
  apply: (events: E[]) => Promise<void>;
  /** Parks an event that cannot succeed (dead-letter topic). */
  deadLetter: (event: E, error: unknown, attempts: number) => Promise<void>;
  hold: InfraHold;
  /** Retries of an event failing with an unknown error before it is dead-lettered. */
  maxRetries: number;
  retryBackoffMs: number;
  onRetry?: () => void;
}

/**
 * Applies a partition's events in order until each one is applied or dead-lettered:
 * - infrastructure failures are waited out (InfraHold), whatever the list's size;
 * - a failing list of several events is split in halves, each settled in turn (bisection), so
 *   one poison event among n costs about 2·log2(n) handler calls, not n;
 * - a single failing event is dead-lettered at once when poison, after maxRetries retries with
 *   backoff when the failure is unknown.
 * Rejects only with PartitionReleased (stop or rebalance while held).
 */
export async function settle<E>(events: E[], o: SettleOptions<E>): Promise<void> {
  if (events.length === 0) return;
  let failure: unknown;
  try {
    await o.hold.run(() => o.apply(events));
    return;
  } catch (error) {
    if (error instanceof PartitionReleased) throw error;
    failure = error;
  }
  if (events.length > 1) {
    const middle = Math.ceil(events.length / 2);
    await settle(events.slice(0, middle), o);
    await settle(events.slice(middle), o);
    return;
  }
  await settleOne(events[0], failure, o);
}

async function settleOne<E>(event: E, firstError: unknown, o: SettleOptions<E>): Promise<void> {
  let error = firstError;
  let attempts = 1;
  while (classifyFailure(error) === 'unknown' && attempts <= o.maxRetries) {
    o.onRetry?.();
    await o.hold.pause(backoffMs(attempts, o.retryBackoffMs, 30_000));
    try {
      await o.hold.run(() => o.apply([event]));
      return;
    } catch (e) {
      if (e instanceof PartitionReleased) throw e;
      error = e;
      attempts++;
    }
  }
  await o.hold.run(() => o.deadLetter(event, error, attempts));
}
