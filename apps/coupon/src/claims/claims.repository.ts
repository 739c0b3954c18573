import { Injectable } from '@nestjs/common';
import { insertMany, Prisma, PrismaService, retryOnDeadlock, Tx } from '@app/database';
import { ClaimRejectReason } from '@app/events';
import { QueuedClaim } from './claim-decision';
import { ClaimView } from './dto/claim-coupon.dto';

/** The coupon row as a batch of claims sees it under its lock. */
export interface LockedCoupon {
  id: number;
  total: number;
  issued: number;
  value: number;
  vendorId: number;
}

/**
 * Every SQL statement of a claim. The decisions, the events and the transactions they run in belong
 * to the use cases (use-cases/); a statement that takes a `tx` runs in the caller's transaction.
 * The accept path's withdraw and the reaper's round are the exceptions: each is one locking read
 * and one write in a short READ COMMITTED transaction of its own. This is where the cap is guarded: `addIssued`'s
 * `UPDATE coupon_coupon SET issued = issued + n WHERE id = ? AND issued + n <= total`
 * is atomic in InnoDB, so whatever the concurrency the count can never pass the cap.
 */
@Injectable()
export class ClaimsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Takes the coupon row's lock for the rest of the transaction: the one lock a batch of claims shares. */
  async lockCoupon(tx: Tx, couponId: number): Promise<LockedCoupon | undefined> {
    const [coupon] = await tx.$queryRaw<LockedCoupon[]>`
      SELECT id, total, issued, value, vendor_id AS vendorId FROM coupon_coupon WHERE id = ${couponId} FOR UPDATE`;
    return coupon;
  }

  /** Locks the claims of the batch that are still PENDING and returns their ids (the others were decided before). */
  async lockPending(tx: Tx, couponId: number, claimIds: string[]): Promise<Set<string>> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM coupon_claim
      WHERE id IN (${Prisma.join(claimIds)}) AND coupon_id = ${couponId} AND status = 'PENDING' FOR UPDATE`;
    return new Set(rows.map((r) => r.id));
  }

  /** Which of the claiming users exist, and which already hold the coupon: two queries per batch. */
  async userFacts(tx: Tx, couponId: number, claims: QueuedClaim[]): Promise<{ existingUsers: Set<number>; holders: Set<number> }> {
    const userIds = [...new Set(claims.map((c) => c.userId))];
    const users = await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true } });
    const holders = await tx.userCoupon.findMany({ where: { couponId, userId: { in: userIds } }, select: { userId: true } });
    return { existingUsers: new Set(users.map((u) => u.id)), holders: new Set(holders.map((h) => h.userId)) };
  }

  /** The rows of sync claims that were issued (a rejected sync claim writes nothing). */
  async insertIssued(tx: Tx, claims: QueuedClaim[]): Promise<void> {
    const at = new Date();
    await insertMany(
      tx,
      'coupon_claim',
      claims.map((c) => ({ id: c.claimId, user_id: c.userId, coupon_id: c.couponId, path: 'SYNC', status: 'ISSUED', created_at: at, updated_at: at })),
    );
  }

  /** What each issued claim hands out: one user_coupon row per claim. */
  async insertUserCoupons(tx: Tx, claims: QueuedClaim[]): Promise<void> {
    const at = new Date();
    await insertMany(tx, 'coupon_user_coupon', claims.map((c) => ({ user_id: c.userId, coupon_id: c.couponId, claim_id: c.claimId, claimed_at: at })));
  }

  /** The cap guard: adds n to the coupon's issued count unless that passes its total. False when refused. */
  async addIssued(tx: Tx, couponId: number, n: number): Promise<boolean> {
    const updated = await tx.$executeRaw`
      UPDATE coupon_coupon SET issued = issued + ${n} WHERE id = ${couponId} AND issued + ${n} <= total`;
    return updated === 1;
  }

  /** payToVendor: the vendor's balance grows by the payout of the coupons issued. */
  async creditVendor(tx: Tx, vendorId: number, amount: bigint): Promise<void> {
    await tx.$executeRaw`UPDATE coupon_vendor SET balance = balance + ${amount} WHERE id = ${vendorId}`;
  }

  async markIssued(tx: Tx, claimIds: string[]): Promise<void> {
    if (claimIds.length === 0) return;
    await tx.claim.updateMany({ where: { id: { in: claimIds } }, data: { status: 'ISSUED' } });
  }

  /** One UPDATE per reason. */
  async markRejected(tx: Tx, rejected: (QueuedClaim & { reason: ClaimRejectReason })[]): Promise<void> {
    const byReason = new Map<ClaimRejectReason, string[]>();
    for (const r of rejected) {
      const ids = byReason.get(r.reason);
      if (ids) ids.push(r.claimId);
      else byReason.set(r.reason, [r.claimId]);
    }
    for (const [reason, ids] of byReason) {
      await tx.claim.updateMany({ where: { id: { in: ids } }, data: { status: 'REJECTED', reason } });
    }
  }

  /** The accept side of useCouponToKafka: one multi-row insert for a whole group commit. */
  async insertPending(claims: QueuedClaim[]): Promise<void> {
    // Under load this insert can meet the consumer's locks on the same index and lose a deadlock:
    // it wrote nothing then, so it is simply tried again (before this retry: 95 claims answered 503 in
    // one full `npm run bench`).
    const at = new Date();
    await retryOnDeadlock(() =>
      insertMany(
        this.prisma,
        'coupon_claim',
        claims.map((c) => ({ id: c.claimId, user_id: c.userId, coupon_id: c.couponId, path: 'KAFKA', status: 'PENDING', created_at: at, updated_at: at })),
      ),
    );
  }

  /**
   * Marks queued claims whose CouponClaimRequested the broker acknowledged, so the reaper leaves
   * them alone. Claims a consumer already decided need no mark and get none (no write).
   */
  async markPublished(claimIds: string[]): Promise<void> {
    if (claimIds.length === 0) return;
    const at = new Date();
    // ids in key order: the rows are locked in the order a consumer's batch locks them
    const ids = [...claimIds].sort();
    await retryOnDeadlock(() =>
      this.prisma.$executeRaw`
        UPDATE coupon_claim SET published_at = ${at}
        WHERE id IN (${Prisma.join(ids)}) AND status = 'PENDING' AND published_at IS NULL`,
    );
  }

  /**
   * Withdraws queued claims whose Kafka message was not acknowledged; returns the ids withdrawn.
   * Only rows still PENDING and never acknowledged, and only rows nobody holds: a consumer
   * applying one (its message got through after all) or the reaper re-sending one has it locked,
   * and a row marked published was re-sent by the reaper. Every row this leaves in place is
   * (or will be) on the topic, so its claim stands.
   */
  async withdrawUnpublished(claimIds: string[]): Promise<Set<string>> {
    if (claimIds.length === 0) return new Set();
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM coupon_claim
          WHERE id IN (${Prisma.join(claimIds)}) AND status = 'PENDING' AND published_at IS NULL
          FOR UPDATE SKIP LOCKED`;
        if (rows.length > 0) await tx.$executeRaw`DELETE FROM coupon_claim WHERE id IN (${Prisma.join(rows.map((r) => r.id))})`;
        return new Set(rows.map((r) => r.id));
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
    );
  }

  /**
   * One round of the claim reaper: locks the oldest PENDING queued claims that were never
   * acknowledged and are older than `before` (FOR UPDATE SKIP LOCKED: two instances reaping at
   * once take disjoint rows), hands them to `send`, and marks them published once it resolved —
   * all in one short transaction, so a crash or a failed send leaves them for the next round.
   * Returns how many were sent.
   */
  async reapUnpublished(before: Date, limit: number, send: (claims: QueuedClaim[]) => Promise<void>): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const claims = await tx.$queryRaw<QueuedClaim[]>`
          SELECT id AS claimId, user_id AS userId, coupon_id AS couponId FROM coupon_claim
          WHERE status = 'PENDING' AND published_at IS NULL AND created_at < ${before}
          ORDER BY created_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
        if (claims.length === 0) return 0;
        await send(claims);
        await tx.$executeRaw`
          UPDATE coupon_claim SET published_at = ${new Date()} WHERE id IN (${Prisma.join(claims.map((c) => c.claimId))})`;
        return claims.length;
      },
      // READ COMMITTED: no gap locks, so the locking read does not block the accept path's inserts.
      // The timeout bounds a send that hangs; the rows then roll back to the next round.
      { maxWait: 10_000, timeout: 30_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
    );
  }

  async findClaim(claimId: string): Promise<ClaimView | undefined> {
    const c = await this.prisma.claim.findUnique({ where: { id: claimId } });
    if (!c) return undefined;
    return { claimId: c.id, userId: c.userId, couponId: c.couponId, path: c.path, status: c.status, ...(c.reason ? { reason: ClaimRejectReason.parse(c.reason) } : {}) };
  }
}
