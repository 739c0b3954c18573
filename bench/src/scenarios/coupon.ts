import { Bench, profileArgs, runReps } from '../context';
import { checkCoupon, grouping, issuedRate, newCoupon, seedUsers, waitTerminal } from '../coupon-facts';
import { load, newHistogram, percentiles, recordMicros } from '../load';
import { ContentionRun, DrainRun, FixedRateRun, Scenarios, SuccessKafkaRun, SuccessSyncRun } from '../types';
import { log, median, round, sleep } from '../util';
import { claimFlood } from './claim-flood';

/**
 * A claim's body: empty, the claiming user is the bearer token's subject (each claim carries its
 * user's token, signed when the users were seeded).
 */
const claimBody = () => ({});
import { noop, rawBatchedApply, rawBatchedInsert, rawGroupedClaims, rawKafka, rawNaiveClaims } from './limits';

const COUPON_MAIN = 'dist/apps/coupon/src/main.js';

/**
 * The coupon app as deployed for load: one process answers HTTP (KAFKA_CONSUMERS=off), another
 * runs the claim consumer (its HTTP port is not used), so accepting and applying claims do not
 * share one Node event loop. Both are the same build and configuration otherwise.
 */
function startCouponWorker(bench: Bench): void {
  const { config } = bench;
  bench.procs.start('coupon-worker', [...profileArgs(config), COUPON_MAIN], {
    ...config.env,
    COUPON_PORT: String(config.ports.couponWorker),
  });
}

/**
 * Contention, success paths, backlog drain, the limits, the fixed rates of the coupon paths and
 * the claim flood (one user over its rate limit beside other users' claims).
 */
export async function couponScenarios(bench: Bench, S: Scenarios): Promise<void> {
  const { config, counts, procs } = bench;
  const { ports } = config;
  log('starting coupon (API process and consumer process) and the no-op app');
  procs.start('coupon', [...profileArgs(config), COUPON_MAIN], { ...config.env, KAFKA_CONSUMERS: 'off' });
  startCouponWorker(bench);
  procs.start('noop', ['bench/noop-app.js', String(ports.noop)], config.env);
  await Promise.all([
    procs.waitHealthy('coupon', ports.coupon),
    procs.waitHealthy('coupon-worker', ports.couponWorker),
    procs.waitHealthy('noop', ports.noop, '/noop', bench.tokens.buyer),
  ]);
  log(`seeding ${counts.users} users`);
  await seedUsers(bench, counts.users);
  // warm-up: JIT, pools, producer metadata
  const warm = await newCoupon(bench, 1000);
  const wu = bench.users.takeSignedIn(400).tokens;
  await load({
    port: ports.coupon,
    path: `/coupons/${warm.id}/claims`,
    amount: 200,
    connections: 20,
    bodyFor: claimBody,
    tokenFor: (i) => wu[i % 200],
  });
  await load({
    port: ports.coupon,
    path: `/coupons/${warm.id}/claims/async`,
    amount: 200,
    connections: 20,
    bodyFor: claimBody,
    tokenFor: (i) => wu[200 + (i % 200)],
  });
  const { buyer } = bench.tokens;
  await load({ port: ports.noop, path: '/noop', amount: 500, connections: 20, bodyFor: () => ({}), tokenFor: () => buyer });
  await waitTerminal(bench.db, warm.id, 30_000);
  if (config.only === 'flood') {
    S.claimFlood = await runReps(bench, 'claim flood', (i) => claimFlood(bench, i));
    return;
  }

  S.contention = {
    sync: await runReps(bench, 'contention sync', (i) => contention(bench, 'claims', i)),
    kafka: await runReps(bench, 'contention kafka', (i) => contention(bench, 'claims/async', i)),
  };
  S.limits = {
    noop: await runReps(bench, 'limit: no-op endpoint', () => noop(bench)),
    rawMysqlGuardedClaim: await runReps(bench, 'reference: raw mysql2, one transaction per claim', (i) =>
      rawNaiveClaims(bench, i),
    ),
    rawGroupedClaims: await runReps(bench, 'limit: raw grouped guarded claims', (i) => rawGroupedClaims(bench, i)),
    rawBatchedApply: await runReps(bench, 'limit: raw batched apply', (i) => rawBatchedApply(bench, i)),
    rawBatchedInsert: await runReps(bench, 'limit: raw batched insert', () => rawBatchedInsert(bench)),
    rawKafkaProduce: await runReps(bench, 'limit: raw kafkajs produce', () => rawKafka(bench)),
  };
  const sync = await runReps(bench, 'success sync', (i) => successSync(bench, i));
  // 100,000 claims per repetition: fewer repetitions here (kafkaReps) keep the run under 10 minutes.
  const kafka = await runReps(bench, 'success kafka', (i) => successKafka(bench, i), counts.kafkaReps);
  const kafkaDrain = await runReps(bench, 'kafka backlog drain', (i) => drainKafka(bench, i));
  S.success = { sync, kafka, kafkaDrain };

  // Fixed rate: 70 % of each path's measured saturation, for a few seconds.
  const sat = {
    noop: median(S.limits.noop.map((r) => r.rps)),
    sync: median(sync.map((r) => r.rps)),
    kafka: median(kafka.map((r) => r.rps)),
  };
  S.fixedRate = {
    sync: await runReps(bench, 'fixed rate sync @70%', () =>
      atRate(bench, 'sync', ports.coupon, (id) => `/coupons/${id}/claims`, 0.7 * sat.sync),
    ),
    kafka: await runReps(bench, 'fixed rate kafka @70%', () =>
      atRate(bench, 'kafka', ports.coupon, (id) => `/coupons/${id}/claims/async`, 0.7 * sat.kafka),
    ),
    noop: await runReps(bench, 'fixed rate no-op @70%', () =>
      atRate(bench, 'noop', ports.noop, undefined, 0.7 * sat.noop),
    ),
  };
  // last: it measures the per-user limit at work, which no scenario above runs into
  S.claimFlood = await runReps(bench, 'claim flood', (i) => claimFlood(bench, i));
}

/** Many more claimants than coupons on one coupon: the cap must be reached and held. */
async function contention(bench: Bench, path: string, rep: number): Promise<ContentionRun> {
  const { counts } = bench;
  const coupon = await newCoupon(bench, counts.cap);
  const { tokens } = bench.users.takeSignedIn(counts.contention);
  const r = await load({
    port: bench.config.ports.coupon,
    path: `/coupons/${coupon.id}/${path}`,
    amount: counts.contention,
    connections: counts.conns,
    bodyFor: claimBody,
    tokenFor: (i) => tokens[i % tokens.length],
  });
  const pending = await waitTerminal(bench.db, coupon.id, 120_000);
  const inv = await checkCoupon(bench, `contention ${path} #${rep}`, coupon.id, { capReached: true });
  return { ...r, couponId: coupon.id, pendingAfterDrain: pending, invariants: inv };
}

/** Every claim a distinct user, the cap never reached: each one issued. */
async function successSync(bench: Bench, rep: number): Promise<SuccessSyncRun> {
  const n = bench.counts.syncSuccess;
  const coupon = await newCoupon(bench, Math.max(n, 100_000));
  const { tokens } = bench.users.takeSignedIn(n);
  const r = await load({
    port: bench.config.ports.coupon,
    path: `/coupons/${coupon.id}/claims`,
    amount: n,
    connections: bench.counts.conns,
    bodyFor: claimBody,
    tokenFor: (i) => tokens[i % n],
  });
  const inv = await checkCoupon(bench, `success sync #${rep}`, coupon.id);
  return {
    ...r,
    claimsPerSec: round((r.outcomes['201'] ?? 0) / r.seconds, 1),
    grouping: await grouping(bench.db, coupon.id),
    invariants: inv,
  };
}

/** The queued path with its consumer running: accepted/s, and issued/s while accepting. */
async function successKafka(bench: Bench, rep: number): Promise<SuccessKafkaRun> {
  const { db } = bench;
  const n = bench.counts.success;
  const coupon = await newCoupon(bench, Math.max(n, 100_000));
  const { tokens } = bench.users.takeSignedIn(n);
  const t0 = Date.now();
  const series: [number, number][] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const c = await db.row<{ issued: number }>('SELECT issued FROM coupon_coupon WHERE id = ?', [coupon.id]);
      series.push([Date.now() - t0, c.issued]);
      await sleep(250);
    }
  })();
  const r = await load({
    port: bench.config.ports.coupon,
    path: `/coupons/${coupon.id}/claims/async`,
    amount: n,
    connections: bench.counts.conns,
    bodyFor: claimBody,
    tokenFor: (i) => tokens[i % n],
  });
  const pending = await waitTerminal(db, coupon.id, 240_000);
  polling = false;
  await poller;
  const drainedMs = Date.now() - t0;
  const { issued, issuedPerSec } = await issuedRate(db, coupon.id);
  const lat = await db.rows<{ us: number }>(
    "SELECT TIMESTAMPDIFF(MICROSECOND, created_at, updated_at) AS us FROM coupon_claim WHERE coupon_id = ? AND status = 'ISSUED'",
    [coupon.id],
  );
  const h = newHistogram();
  for (const row of lat) recordMicros(h, Number(row.us));
  const inv = await checkCoupon(bench, `success kafka #${rep}`, coupon.id);
  return {
    ...r,
    acceptedPerSec: round((r.outcomes['202'] ?? 0) / r.seconds, 1),
    issued,
    issuedPerSec,
    drainedAfterMs: drainedMs,
    pendingAfterDrain: pending,
    endToEndMs: percentiles(h),
    issuedSeries: series,
    invariants: inv,
  };
}

/**
 * Issued/s while draining a backlog: claims are accepted by the API process while the consumer
 * process is stopped; then it starts and the rate at which it issues them is read from the
 * claims' updated_at in the DB. This is the consumer's own capacity, not bounded by the accept
 * rate as in successKafka.
 */
async function drainKafka(bench: Bench, rep: number): Promise<DrainRun> {
  const { db, procs, config } = bench;
  const n = bench.counts.drain;
  const coupon = await newCoupon(bench, n);
  const { tokens } = bench.users.takeSignedIn(n);
  await procs.stop('coupon-worker');
  const r = await load({
    port: config.ports.coupon,
    path: `/coupons/${coupon.id}/claims/async`,
    amount: n,
    connections: bench.counts.conns,
    bodyFor: claimBody,
    tokenFor: (i) => tokens[i % n],
  });
  const backlog = await db.row<{ n: number }>(
    "SELECT COUNT(*) AS n FROM coupon_claim WHERE coupon_id = ? AND status = 'PENDING'",
    [coupon.id],
  );
  startCouponWorker(bench);
  await procs.waitHealthy('coupon-worker', config.ports.couponWorker);
  const pending = await waitTerminal(db, coupon.id, 240_000);
  const { issued, issuedPerSec } = await issuedRate(db, coupon.id);
  const inv = await checkCoupon(bench, `drain kafka #${rep}`, coupon.id);
  return {
    ...r,
    accepted: r.outcomes['202'] ?? 0,
    acceptedPerSecWithoutConsumer: round((r.outcomes['202'] ?? 0) / r.seconds, 1),
    backlog: Number(backlog.n),
    issued,
    issuedPerSec,
    pendingAfterDrain: pending,
    grouping: await grouping(db, coupon.id),
    invariants: inv,
  };
}

/** A few seconds at a fixed rate (open model); the coupon paths' invariants checked after. */
async function atRate(
  bench: Bench,
  label: string,
  port: number,
  pathFor: ((couponId: number) => string) | undefined,
  rate: number,
): Promise<FixedRateRun> {
  const n = Math.ceil(rate * bench.counts.rateSeconds);
  const coupon = pathFor ? await newCoupon(bench, Math.max(n, 100)) : undefined;
  // the no-op endpoint gets what a claim gets: a user's token (its guard verifies it too) and {}
  const { tokens } = bench.users.takeSignedIn(n);
  const r = await load({
    port,
    path: pathFor && coupon ? pathFor(coupon.id) : '/noop',
    amount: n,
    rate: Math.max(1, Math.round(rate)),
    connections: bench.counts.conns,
    bodyFor: claimBody,
    tokenFor: (i) => tokens[i % n],
  });
  const run: FixedRateRun = { rate: Math.round(rate), ...r };
  if (coupon) {
    await waitTerminal(bench.db, coupon.id, 120_000);
    run.invariants = await checkCoupon(bench, `fixed rate ${label}`, coupon.id);
  }
  return run;
}
