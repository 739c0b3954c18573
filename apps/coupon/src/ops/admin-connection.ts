import { Admin, Kafka } from 'kafkajs';

/** How long an ops request waits for the broker before answering 503 KAFKA.UNAVAILABLE. */
export const BROKER_DEADLINE_MS = 3000;

/** The broker did not answer within the deadline. */
export class AdminTimeoutError extends Error {
  override name = 'AdminTimeoutError';
}

/**
 * A kafkajs Admin connected on first use and kept for later calls. Any failure — the connection
 * refused, a request failing, no answer within `timeoutMs` — drops it (disconnected quietly), so
 * the next call connects afresh: a broker that was down when the first call came is picked up
 * once it is back, and a caller never waits longer than the deadline.
 */
export class AdminConnection {
  private current?: { admin: Admin; ready: Promise<void> };

  constructor(
    private readonly kafka: Pick<Kafka, 'admin'>,
    private readonly timeoutMs: number,
  ) {}

  async use<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const current = (this.current ??= this.open());
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AdminTimeoutError(`no answer from the broker within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([current.ready.then(() => work(current.admin)), deadline]);
    } catch (error) {
      this.drop(current);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current) await current.admin.disconnect().catch(() => undefined);
  }

  private open(): { admin: Admin; ready: Promise<void> } {
    const admin = this.kafka.admin();
    const ready = admin.connect();
    ready.catch(() => undefined); // awaited by use(); a failure there is reported to its caller
    return { admin, ready };
  }

  private drop(current: { admin: Admin }): void {
    // Only the connection that failed: a concurrent call may already have opened a new one.
    if (this.current === current) this.current = undefined;
    // A connect still retrying is abandoned with it; the broker may not answer the disconnect either.
    void current.admin.disconnect().catch(() => undefined);
  }
}
