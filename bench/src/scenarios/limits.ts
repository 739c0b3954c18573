import { randomUUID } from 'node:crypto';
// Before any kafkajs client exists: without it every broker connection spins a 1 ms timer (see the file).
import '@app/kafka/request-queue-fix';
import { GroupCommit } from '@app/batching/group-commit';
import { newId } from '@app/events';
import { Kafka, logLevel } from 'kafkajs';
import { QueuedClaim } from '../../../apps/coupon/src/claims/claim-decision';
import { Bench } from '../context';
import { checkCoupon, grouping, issuedRate, newCoupon } from '../coupon-facts';
import { load, newHistogram, percentiles, recordMicros } from '../load';
import {
  LoadResult,
  RawBatchedApplyRun,
  RawGroupedClaimsRun,
  RawInsertRun,
  RawKafkaRun,
  RawNaiveClaimsRun,
} from '../types';
import { round } from '../util';
import { applyBatch, issueSyncBatch, RAW_OUTBOX_SERVICE, SYNC_GROUP_COMMIT } from './raw-claims';

// The limits of the same stack on the same machine, each built the way the path it bounds works:
// - no-op endpoint: the HTTP limit of accepting (same Nest/Fastify stack and token check, no work);
// - raw grouped guarded claims: the sync path's transaction in raw mysql2, grouped by the same rule;
// - raw batched apply: the consumer's set-based apply in raw mysql2, same batch size, one backlog;
// - raw batched insert, raw kafkajs produce: the database and broker limits of the accept side.
// The naive one-transaction-per-claim loop is kept as a reference: neither path works that way.

const elapsed = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

export function noop(bench: Bench): Promise<LoadResult> {
  // a bearer token on every request, as on a claim: the app's guard verifies it here too
  const { buyer } = bench.tokens;
  return load({
    port: bench.config.ports.noop,
    path: '/noop',
    amount: bench.counts.noop,
    connections: bench.counts.conns,
    bodyFor: () => ({}),
    tokenFor: () => buyer,
  });
}

/**
 * Limit of the sync success path: the same number of claims, from the same number of concurrent
 * clients (each sending its next claim once the last one is answered, as autocannon's connections
 * do), through the app's GroupCommit with the app's SYNC_GROUP_COMMIT (a group is what queued
 * while a commit ran, up to 200; two commits per coupon at once), each group one transaction of
 * the sync path's statements (issueSyncBatch). No HTTP, no Nest, no Prisma.
 */
export async function rawGroupedClaims(bench: Bench, rep: number): Promise<RawGroupedClaimsRun> {
  const n = bench.counts.syncSuccess;
  const workers = Math.min(bench.counts.conns, n);
  const coupon = await newCoupon(bench, Math.max(n, 100_000));
  const users = bench.users.take(n);
  const sizes: number[] = [];
  let issued = 0;
  const group = new GroupCommit<QueuedClaim>(async (claims) => {
    sizes.push(claims.length);
    issued += (await issueSyncBatch(bench.db, coupon.id, claims)).issued.length;
  }, SYNC_GROUP_COMMIT);
  const h = newHistogram();
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < n) {
      const userId = users[next++];
      const s = process.hrtime.bigint();
      await group.submit({ claimId: newId(), couponId: coupon.id, userId });
      recordMicros(h, Number(process.hrtime.bigint() - s) / 1000);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const seconds = elapsed(t0);
  const inv = await checkCoupon(bench, `raw grouped claims #${rep}`, coupon.id);
  const grouped = await grouping(bench.db, coupon.id);
  await bench.db.exec('DELETE FROM outbox_event WHERE service = ?', [RAW_OUTBOX_SERVICE]);
  return {
    claims: issued,
    seconds: round(seconds, 3),
    claimsPerSec: round(issued / seconds, 1),
    latencyMs: percentiles(h),
    workers,
    group: { ...SYNC_GROUP_COMMIT },
    transactions: sizes.length,
    claimsPerTransaction: round(n / Math.max(1, sizes.length), 1),
    largestTransaction: Math.max(0, ...sizes),
    grouping: grouped,
    invariants: inv,
  };
}

/**
 * Limit of the Kafka backlog drain: a backlog of the same size (PENDING claims of one coupon,
 * inserted untimed, 500 per statement as the accept path does), applied the way the consumer
 * applies one coupon's claims: COUPON_BATCH_SIZE claims per transaction of applyBatch's statements,
 * one transaction at a time (one coupon is one partition). No Kafka, no Nest, no Prisma.
 */
export async function rawBatchedApply(bench: Bench, rep: number): Promise<RawBatchedApplyRun> {
  const n = bench.counts.drain;
  const batchSize = bench.couponEnv.COUPON_BATCH_SIZE;
  const coupon = await newCoupon(bench, n);
  const claims: QueuedClaim[] = bench.users
    .take(n)
    .map((userId) => ({ claimId: newId(), couponId: coupon.id, userId }));
  const at = new Date();
  for (let i = 0; i < n; i += 500) {
    const rows = claims.slice(i, i + 500).map((c) => [c.claimId, c.userId, c.couponId, 'KAFKA', 'PENDING', at, at]);
    await bench.db.exec(
      'INSERT INTO coupon_claim (id, user_id, coupon_id, path, status, created_at, updated_at) VALUES ?',
      [rows],
    );
  }
  let transactions = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i += batchSize) {
    await applyBatch(bench.db, coupon.id, claims.slice(i, i + batchSize));
    transactions++;
  }
  const seconds = elapsed(t0);
  const { issued, issuedPerSec } = await issuedRate(bench.db, coupon.id);
  const inv = await checkCoupon(bench, `raw batched apply #${rep}`, coupon.id);
  const grouped = await grouping(bench.db, coupon.id);
  await bench.db.exec('DELETE FROM outbox_event WHERE service = ?', [RAW_OUTBOX_SERVICE]);
  return {
    backlog: n,
    issued,
    batchSize,
    transactions,
    issuedPerSec,
    wallClockPerSec: round(issued / seconds, 1),
    seconds: round(seconds, 3),
    grouping: grouped,
    invariants: inv,
  };
}

/**
 * Reference, not a limit: raw mysql2, one transaction per claim (guarded update, user_coupon,
 * vendor credit, claim row, outbox row), C.conns workers on the pool. Neither path works this way:
 * the sync path groups concurrent claims into one transaction, the consumer applies batches.
 */
export async function rawNaiveClaims(bench: Bench, rep: number): Promise<RawNaiveClaimsRun> {
  const coupon = await newCoupon(bench, 100_000);
  const users = bench.users.take(bench.counts.raw);
  const { pool } = bench.db;
  let next = 0;
  let issued = 0;
  const h = newHistogram();
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < users.length) {
      const userId = users[next++];
      const s = process.hrtime.bigint();
      const [pre] = await bench.db.rows<{ total: number; issued: number; holds: number }>(
        `SELECT c.id, c.total, c.issued, EXISTS(SELECT 1 FROM coupon_user u WHERE u.id = ?) AS ue,
          EXISTS(SELECT 1 FROM coupon_user_coupon uc WHERE uc.user_id = ? AND uc.coupon_id = ?) AS holds
         FROM (SELECT 1 AS one) x LEFT JOIN coupon_coupon c ON c.id = ?`,
        [userId, userId, coupon.id, coupon.id],
      );
      if (pre.holds || pre.issued >= pre.total) continue;
      const conn = await pool.getConnection();
      const claimId = randomUUID();
      try {
        await conn.query('BEGIN');
        await conn.query(
          "INSERT INTO coupon_claim (id, user_id, coupon_id, path, status, updated_at) VALUES (?, ?, ?, 'SYNC', 'ISSUED', NOW(3))",
          [claimId, userId, coupon.id],
        );
        const [u] = await conn.query('UPDATE coupon_coupon SET issued = issued + 1 WHERE id = ? AND issued < total', [
          coupon.id,
        ]);
        if ('affectedRows' in u && u.affectedRows === 0) throw new Error('sold out');
        await conn.query('INSERT INTO coupon_user_coupon (user_id, coupon_id, claim_id) VALUES (?, ?, ?)', [
          userId,
          coupon.id,
          claimId,
        ]);
        await conn.query('UPDATE coupon_vendor SET balance = balance + ? WHERE id = ?', [
          coupon.value,
          coupon.vendorId,
        ]);
        await conn.query('INSERT INTO outbox_event (service, topic, `key`, event_id, value) VALUES (?, ?, ?, ?, ?)', [
          RAW_OUTBOX_SERVICE,
          'bench.raw',
          String(coupon.id),
          randomUUID(),
          JSON.stringify({ claimId, userId, couponId: coupon.id }),
        ]);
        await conn.query('COMMIT');
        issued++;
      } catch (error) {
        await conn.query('ROLLBACK');
        throw error;
      } finally {
        conn.release();
      }
      recordMicros(h, Number(process.hrtime.bigint() - s) / 1000);
    }
  };
  // Same client concurrency as the HTTP runs; the pool (DATABASE_POOL_SIZE) queues the rest, as the app's does.
  await Promise.all(Array.from({ length: bench.counts.conns }, worker));
  const seconds = elapsed(t0);
  await bench.db.exec('DELETE FROM outbox_event WHERE service = ?', [RAW_OUTBOX_SERVICE]);
  const inv = await checkCoupon(bench, `raw mysql2 #${rep}`, coupon.id);
  return {
    claims: issued,
    seconds: round(seconds, 3),
    claimsPerSec: round(issued / seconds, 1),
    latencyMs: percentiles(h),
    invariants: inv,
  };
}

/** The database limit of the queued path's accept side: multi-row INSERTs of PENDING claims, 500 per statement, two in flight. */
export async function rawBatchedInsert(bench: Bench): Promise<RawInsertRun> {
  const coupon = await newCoupon(bench, 100);
  const n = bench.counts.rawInsert;
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < n) {
      const size = Math.min(500, n - next);
      const base = next;
      next += size;
      const rows = Array.from({ length: size }, (_, j) => [
        randomUUID(),
        bench.users.at(base + j),
        coupon.id,
        'KAFKA',
        'PENDING',
      ]);
      await bench.db.exec('INSERT INTO coupon_claim (id, user_id, coupon_id, path, status) VALUES ?', [rows]);
    }
  };
  await Promise.all(Array.from({ length: 2 }, worker)); // two in flight, like the app's group commit
  const seconds = elapsed(t0);
  await bench.db.exec('DELETE FROM coupon_claim WHERE coupon_id = ?', [coupon.id]);
  return { rows: n, seconds: round(seconds, 3), rowsPerSec: round(n / seconds, 1) };
}

/** The broker limit: acks=all produce of claim-sized keyed messages, 500 per request, two in flight. */
export async function rawKafka(bench: Bench): Promise<RawKafkaRun> {
  const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const topic = `${bench.config.runId}.bench.raw-produce`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  const n = bench.counts.rawKafka;
  const value = JSON.stringify({
    eventId: randomUUID(),
    type: 'coupon.claim.requested',
    occurredAt: new Date().toISOString(),
    producer: 'coupon',
    correlationId: randomUUID(),
    payload: { claimId: randomUUID(), couponId: 1, userId: 12345 },
  });
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < n) {
      const size = Math.min(500, n - next);
      next += size;
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: size }, (_, j) => ({ key: String(j % 97), value })),
      });
    }
  };
  await Promise.all(Array.from({ length: 2 }, worker));
  const seconds = elapsed(t0);
  await producer.disconnect();
  return { messages: n, seconds: round(seconds, 3), messagesPerSec: round(n / seconds, 1) };
}
