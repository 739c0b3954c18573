/**
 * Capped exponential backoff with jitter: attempt 1 waits about baseMs, each next one twice as
 * long, never more than capMs; the jitter (±20 %) keeps many partitions from retrying in step.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(capMs, exponential * (0.8 + 0.4 * random())));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
