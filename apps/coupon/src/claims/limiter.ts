/**
 * A FIFO limit on concurrent work. The sync claim path runs at most `limit` transactions at a
 * time and queues the rest here, in arrival order: a burst of 1,000 requests would otherwise all
 * ask the pool for a connection at once and fail Prisma's 2 s transaction start timeout (P2028),
 * and more concurrent transactions than connections only lengthens the queue on the coupon row.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same) or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
