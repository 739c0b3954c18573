// InnoDB resolves a deadlock by rolling one transaction back; it is meant to be retried. No Prisma
// import here: the bench's raw limits use it too.
const DEADLOCK_ATTEMPTS = 3;

/** Prisma's P2034, or the server's 1213 in a driver's message (Prisma, mysql2, mariadb). */
export const isDeadlock = (error: unknown): boolean =>
  (error as { code?: string } | null)?.code === 'P2034' ||
  /\b1213\b|Deadlock found/.test(String((error as Error)?.message));

/**
 * Runs a statement or transaction again when InnoDB chose it as a deadlock victim (it was rolled
 * back entirely, so running it again is safe), up to three attempts in all.
 */
export async function retryOnDeadlock<R>(work: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}
