import { Injectable } from '@nestjs/common';
import { insertMany, Prisma, PrismaService, retryOnDeadlock, Tx, UnitOfWork } from '@app/database';
import { ClaimRejectReason, Topic } from '@app/events';
import { BatchDecision, decideBatch, QueuedClaim } from './claim-decision';
import { ClaimView } from './dto/claim-coupon.dto';

/**
 * Every SQL statement of a claim. This is where the cap is guarded:
 * `UPDATE coupon_coupon SET issued = issued + n WHERE id = ? AND issued + n <= total`
 * is atomic in InnoDB, so whatever the concurrency the count can never pass the cap.
 */
@Injectable()
export class ClaimsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * useCoupon for a group of concurrent requests on one coupon (sync group commit, see
   * claims.service.ts): one transaction, one lock of the coupon row, the decision made in memory
   * under that lock (claim-decision.ts, the same rules as the queued path), then set-based writes
   * for the issued ones only — a rejected sync claim writes nothing. The guarded UPDATE in
   * issueMany still refuses to pass the cap whatever the decision said.
   */
  issueSyncBatch(couponId: number, claims: QueuedClaim[]): Promise<BatchDecision> {
    return this.uow.run(
      async (tx, emit) => {
        const coupon = await lockCoupon(tx, couponId);
        const decision = decideBatch(claims, {
          coupon,
          pendingIds: new Set(claims.map((c) => c.claimId)),
          ...(coupon ? await userFacts(tx, couponId, claims) : { existingUsers: new Set<number>(), holders: new Set<number>() }),
        });
        if (coupon && decision.issued.length > 0) {
          const at = new Date();
          await insertMany(
            tx,
            'coupon_claim',
            decision.issued.map((c) => ({ id: c.claimId, user_id: c.userId, coupon_id: couponId, path: 'SYNC', status: 'ISSUED', created_at: at, updated_at: at })),
          );
          await issueMany(tx, coupon, decision.issued, false);
          for (const c of decision.issued) emit(Topic.CouponClaimIssued, { ...c, vendorId: coupon.vendorId, value: coupon.value, path: 'SYNC' });
        }
        return decision;
      },
      { correlationId: claims.length === 1 ? claims[0].claimId : undefined },
    );
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

  /**
   * Applies one coupon's queued claims under one lock of its row: read the facts, decide in
   * memory (claim-decision.ts), write the outcome with a handful of set-based statements.
   */
  applyBatch(couponId: number, claims: QueuedClaim[], correlationId?: string): Promise<BatchDecision> {
    return this.uow.run(
      async (tx, emit) => {
        const coupon = await lockCoupon(tx, couponId);
        const ids = claims.map((c) => c.claimId);
        const pending = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM coupon_claim
          WHERE id IN (${Prisma.join(ids)}) AND coupon_id = ${couponId} AND status = 'PENDING' FOR UPDATE`;
        if (pending.length === 0) return { issued: [], rejected: [] };
        const decision = decideBatch(claims, {
          coupon,
          pendingIds: new Set(pending.map((p) => p.id)),
          ...(await userFacts(tx, couponId, claims)),
        });
        if (coupon && decision.issued.length > 0) await issueMany(tx, coupon, decision.issued);
        await rejectMany(tx, decision.rejected);
        for (const c of decision.issued) {
          emit(Topic.CouponClaimIssued, { ...c, vendorId: coupon!.vendorId, value: coupon!.value, path: 'KAFKA' });
        }
        for (const c of decision.rejected) {
          emit(Topic.CouponClaimRejected, { claimId: c.claimId, couponId: c.couponId, userId: c.userId, path: 'KAFKA', reason: c.reason });
        }
        return decision;
      },
      { correlationId },
    );
  }

  async findClaim(claimId: string): Promise<ClaimView | undefined> {
    const c = await this.prisma.claim.findUnique({ where: { id: claimId } });
    if (!c) return undefined;
    return { claimId: c.id, userId: c.userId, couponId: c.couponId, path: c.path, status: c.status, ...(c.reason ? { reason: c.reason } : {}) };
  }
}

/** Takes the coupon row's lock for the rest of the transaction: the one lock a batch of claims shares. */
async function lockCoupon(tx: Tx, couponId: number) {
  const [coupon] = await tx.$queryRaw<{ id: number; total: number; issued: number; value: number; vendorId: number }[]>`
    SELECT id, total, issued, value, vendor_id AS vendorId FROM coupon_coupon WHERE id = ${couponId} FOR UPDATE`;
  return coupon as typeof coupon | undefined;
}

async function issueMany(
  tx: Tx,
  coupon: { id: number; value: number; vendorId: number },
  issued: QueuedClaim[],
  markIssued = true,
): Promise<void> {
  const n = issued.length;
  const at = new Date();
  await insertMany(tx, 'coupon_user_coupon', issued.map((c) => ({ user_id: c.userId, coupon_id: c.couponId, claim_id: c.claimId, claimed_at: at })));
  // The decision was made under the row lock, so this cannot refuse; if it ever does, the
  // transaction rolls back rather than pass the cap.
  const updated = await tx.$executeRaw`
    UPDATE coupon_coupon SET issued = issued + ${n} WHERE id = ${coupon.id} AND issued + ${n} <= total`;
  if (updated !== 1) throw new Error(`cap guard refused ${n} claims of coupon ${coupon.id}`);
  await tx.$executeRaw`UPDATE coupon_vendor SET balance = balance + ${BigInt(n) * BigInt(coupon.value)} WHERE id = ${coupon.vendorId}`;
  if (markIssued) await tx.claim.updateMany({ where: { id: { in: issued.map((c) => c.claimId) } }, data: { status: 'ISSUED' } });
}

async function rejectMany(tx: Tx, rejected: (QueuedClaim & { reason: ClaimRejectReason })[]): Promise<void> {
  const byReason = new Map<ClaimRejectReason, string[]>();
  for (const r of rejected) {
    const ids = byReason.get(r.reason) ?? [];
    ids.push(r.claimId);
    byReason.set(r.reason, ids);
  }
  for (const [reason, ids] of byReason) {
    await tx.claim.updateMany({ where: { id: { in: ids } }, data: { status: 'REJECTED', reason } });
  }
}

/** Which of the claiming users exist, and which already hold the coupon: two queries per batch. */
async function userFacts(tx: Tx, couponId: number, claims: QueuedClaim[]) {
  const userIds = [...new Set(claims.map((c) => c.userId))];
  const [users, holders] = [
    await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true } }),
    await tx.userCoupon.findMany({ where: { couponId, userId: { in: userIds } }, select: { userId: true } }),
  ];
  return { existingUsers: new Set(users.map((u) => u.id)), holders: new Set(holders.map((h) => h.userId)) };
}
