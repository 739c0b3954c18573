import { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { retryOnDeadlock } from '@app/database/deadlock';
import { createEnvelope, encodeEvent, EncodedEvent, PayloadOf, Topic } from '@app/events';
import { BatchDecision, decideBatch, QueuedClaim } from '../../../apps/coupon/src/claims/claim-decision';
import { Db, Param } from '../db';

// The coupon app's two claim transactions, statement for statement, in raw mysql2: what the
// like-with-like limits run. The decision in between is the app's own (decideBatch). Sources:
// apps/coupon/src/claims/use-cases/ (claim-sync.ts, apply-queued-claims.ts, issue-claims.ts), the
// statements of apps/coupon/src/claims/claims.repository.ts, and libs/database/src/unit-of-work.ts
// (the outbox insert at the end).

/** The sync path's group commit rule, the app's own. */
export { SYNC_GROUP_COMMIT } from '../../../apps/coupon/src/claims/sync-group-commit';

/** The outbox rows of the limits carry this service, so no app's relay publishes them; deleted after each run. */
export const RAW_OUTBOX_SERVICE = 'bench';

interface LockedCoupon {
  id: number;
  total: number;
  issued: number;
  value: number;
  vendorId: number;
}

async function select<T>(conn: PoolConnection, sql: string, params: Param[]): Promise<T[]> {
  const [rows] = await conn.query<RowDataPacket[]>(sql, params);
  return rows as T[];
}

async function exec(conn: PoolConnection, sql: string, params: Param[]): Promise<number> {
  const [result] = await conn.query<ResultSetHeader>(sql, params);
  return result.affectedRows;
}

/** lockCoupon: the coupon row's lock for the rest of the transaction. */
async function lockCoupon(conn: PoolConnection, couponId: number): Promise<LockedCoupon | undefined> {
  const [coupon] = await select<LockedCoupon>(
    conn,
    'SELECT id, total, issued, value, vendor_id AS vendorId FROM coupon_coupon WHERE id = ? FOR UPDATE',
    [couponId],
  );
  return coupon;
}

/** userFacts: which claiming users exist and which already hold the coupon (two queries). */
async function userFacts(conn: PoolConnection, couponId: number, claims: QueuedClaim[]) {
  const userIds = [...new Set(claims.map((c) => c.userId))];
  const users = await select<{ id: number }>(conn, 'SELECT id FROM coupon_user WHERE id IN (?)', [userIds]);
  const holders = await select<{ user_id: number }>(
    conn,
    'SELECT user_id FROM coupon_user_coupon WHERE coupon_id = ? AND user_id IN (?)',
    [couponId, userIds],
  );
  return { existingUsers: new Set(users.map((u) => u.id)), holders: new Set(holders.map((h) => h.user_id)) };
}

/** issueMany: holder rows, the guarded counter, the vendor credit, and (queued path) the claims marked ISSUED. */
async function issueMany(
  conn: PoolConnection,
  coupon: LockedCoupon,
  issued: QueuedClaim[],
  markIssued: boolean,
): Promise<void> {
  const n = issued.length;
  const at = new Date();
  await exec(conn, 'INSERT INTO coupon_user_coupon (user_id, coupon_id, claim_id, claimed_at) VALUES ?', [
    issued.map((c) => [c.userId, c.couponId, c.claimId, at]),
  ]);
  const updated = await exec(
    conn,
    'UPDATE coupon_coupon SET issued = issued + ? WHERE id = ? AND issued + ? <= total',
    [n, coupon.id, n],
  );
  if (updated !== 1) throw new Error(`cap guard refused ${n} claims of coupon ${coupon.id}`);
  await exec(conn, 'UPDATE coupon_vendor SET balance = balance + ? WHERE id = ?', [
    BigInt(n) * BigInt(coupon.value),
    coupon.vendorId,
  ]);
  if (markIssued)
    await exec(conn, "UPDATE coupon_claim SET status = 'ISSUED', updated_at = ? WHERE id IN (?)", [
      at,
      issued.map((c) => c.claimId),
    ]);
}

/** rejectMany: one UPDATE per reason. */
async function rejectMany(conn: PoolConnection, rejected: BatchDecision['rejected']): Promise<void> {
  const byReason = new Map<string, string[]>();
  for (const r of rejected) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r.claimId]);
  const at = new Date();
  for (const [reason, ids] of byReason) {
    await exec(conn, "UPDATE coupon_claim SET status = 'REJECTED', reason = ?, updated_at = ? WHERE id IN (?)", [
      reason,
      at,
      ids,
    ]);
  }
}

/** The unit of work's last statement: the staged events, one multi-row insert. */
async function insertOutbox(
  conn: PoolConnection,
  events: (EncodedEvent & { topic: Topic; eventId: string })[],
): Promise<void> {
  if (events.length === 0) return;
  const at = new Date();
  await exec(conn, 'INSERT INTO outbox_event (service, topic, `key`, event_id, value, created_at) VALUES ?', [
    events.map((e) => [RAW_OUTBOX_SERVICE, e.topic, e.key, e.eventId, e.value, at]),
  ]);
}

function staged<T extends Topic>(topic: T, payload: PayloadOf<T>, correlationId: string | undefined) {
  const envelope = createEnvelope(topic, payload, { producer: 'coupon', correlationId });
  return { topic, eventId: envelope.eventId, ...encodeEvent(envelope) };
}

/**
 * issueSyncBatch (ClaimSync's transaction): one group of concurrent sync claims on one coupon, one transaction. Lock the
 * coupon, read the users' facts, decide, then write only the issued: claim rows (ISSUED), holder
 * rows, the guarded counter, the vendor credit, one CouponClaimIssued per claim in the outbox.
 */
export function issueSyncBatch(db: Db, couponId: number, claims: QueuedClaim[]): Promise<BatchDecision> {
  return retryOnDeadlock(() =>
    db.transaction(async (conn) => {
      const coupon = await lockCoupon(conn, couponId);
      const decision = decideBatch(claims, {
        coupon,
        ...(coupon
          ? await userFacts(conn, couponId, claims)
          : { existingUsers: new Set<number>(), holders: new Set<number>() }),
      });
      if (coupon && decision.issued.length > 0) {
        const at = new Date();
        await exec(
          conn,
          'INSERT INTO coupon_claim (id, user_id, coupon_id, path, status, created_at, updated_at) VALUES ?',
          [decision.issued.map((c) => [c.claimId, c.userId, couponId, 'SYNC', 'ISSUED', at, at])],
        );
        await issueMany(conn, coupon, decision.issued, false);
        const correlationId = claims.length === 1 ? claims[0].claimId : undefined;
        await insertOutbox(
          conn,
          decision.issued.map((c) =>
            staged(
              Topic.CouponClaimIssued,
              { ...c, vendorId: coupon.vendorId, value: coupon.value, path: 'SYNC' },
              correlationId,
            ),
          ),
        );
      }
      return decision;
    }),
  );
}

/**
 * applyBatch (ApplyQueuedClaims' transaction): one coupon's queued claims (one chunk of COUPON_BATCH_SIZE), one transaction. Lock
 * the coupon, lock the chunk's PENDING claim rows, read the users' facts, decide, then write:
 * holder rows, the guarded counter, the vendor credit, the claims ISSUED, the rejected ones per
 * reason, one CouponClaimIssued / CouponClaimRejected per claim in the outbox.
 */
export function applyBatch(db: Db, couponId: number, claims: QueuedClaim[]): Promise<BatchDecision> {
  return retryOnDeadlock(() =>
    db.transaction(async (conn) => {
      const coupon = await lockCoupon(conn, couponId);
      const ids = claims.map((c) => c.claimId);
      const pending = await select<{ id: string }>(
        conn,
        "SELECT id FROM coupon_claim WHERE id IN (?) AND coupon_id = ? AND status = 'PENDING' FOR UPDATE",
        [ids, couponId],
      );
      if (pending.length === 0) return { issued: [], rejected: [] };
      const decision = decideBatch(claims, {
        coupon,
        pendingIds: new Set(pending.map((p) => p.id)),
        ...(await userFacts(conn, couponId, claims)),
      });
      if (coupon && decision.issued.length > 0) await issueMany(conn, coupon, decision.issued, true);
      await rejectMany(conn, decision.rejected);
      const correlationId = claims.length === 1 ? claims[0].claimId : undefined;
      const issued = coupon
        ? decision.issued.map((c) =>
            staged(
              Topic.CouponClaimIssued,
              { ...c, vendorId: coupon.vendorId, value: coupon.value, path: 'KAFKA' },
              correlationId,
            ),
          )
        : [];
      await insertOutbox(conn, [
        ...issued,
        ...decision.rejected.map((c) =>
          staged(
            Topic.CouponClaimRejected,
            { claimId: c.claimId, couponId: c.couponId, userId: c.userId, path: 'KAFKA', reason: c.reason },
            correlationId,
          ),
        ),
      ]);
      return decision;
    }),
  );
}
