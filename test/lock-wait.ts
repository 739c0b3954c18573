import { PrismaService } from '@app/database';

/**
 * Resolves once a transaction on this client's database waits for a row lock (InnoDB's LOCK
 * WAIT), or after timeoutMs. Lets a test keep one transaction open until another is queued behind
 * its locks, so that the interleaving a test is about really occurs; no assertion may rest on it
 * (without the PROCESS privilege it sees nothing and simply waits timeoutMs).
 */
export async function untilLockWait(prisma: PrismaService, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await prisma.$queryRaw<{ waiting: bigint | number }[]>`
      SELECT COUNT(*) AS waiting FROM information_schema.INNODB_TRX t
      JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
      WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()`.catch(() => []);
    if (rows.length > 0 && Number(rows[0].waiting) > 0) return;
    // InnoDB refreshes what INNODB_TRX shows only when it was not read for 100 ms: faster polling sees nothing new
    await new Promise((r) => setTimeout(r, 150));
  }
}
