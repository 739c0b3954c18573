/**
 * The schedule of an open, evenly paced load: `amount` requests at `rate` per second from `start`
 * (ms, performance.now()), request i due at start + i / rate. Each request is sent when due,
 * whatever is still in flight, and its latency is counted from its due time, so a request that
 * waited behind a stalled server or a busy client is charged for that wait (no coordinated
 * omission). autocannon's overallRate instead releases each second's quota at once, a burst.
 */
export class Pacing {
  /** ms between two requests */
  readonly interval: number;

  constructor(
    readonly start: number,
    readonly rate: number,
    readonly amount: number,
  ) {
    if (!(rate > 0)) throw new Error(`pacing: rate must be positive, not ${rate}`);
    this.interval = 1000 / rate;
  }

  /** When request i is due. */
  dueAt(i: number): number {
    return this.start + i * this.interval;
  }

  /** How many requests are due at `now` (sent or not), at most `amount`. */
  dueBy(now: number): number {
    if (now < this.start) return 0;
    return Math.min(this.amount, Math.floor((now - this.start) / this.interval) + 1);
  }

  /** ms from `now` until request i is due (0 when it already is). */
  waitFor(i: number, now: number): number {
    return Math.max(0, this.dueAt(i) - now);
  }
}
