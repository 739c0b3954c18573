/**
 * Counts hits per key in windows of `windowMs`, each key's window starting at its first hit (so a
 * burst is counted whole, wherever it falls on the clock). Keys whose window ended are swept now
 * and then, so memory follows the keys of the last few windows, not every key ever seen.
 */
export class RateWindows {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private nextSweep: number;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.nextSweep = now() + 10 * windowMs;
  }

  /** Counts one hit of `key`: its count in its current window (this hit included), and when that window ends (ms from now). */
  hit(key: string): { count: number; endsInMs: number } {
    const now = this.now();
    if (now >= this.nextSweep) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now >= window.endsAt) {
      window = { count: 0, endsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, endsInMs: window.endsAt - now };
  }

  /** Keys with a window still open. */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now >= window.endsAt) this.windows.delete(key);
    this.nextSweep = now + 10 * this.windowMs;
  }
}
