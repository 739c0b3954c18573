import { Bench } from '../context';
import { checkCoupon, newCoupon, waitTerminal } from '../coupon-facts';
import { answersWithin, floodAllowance, notIssued, slowdown, sortFlooderAnswers, TimedAnswer } from '../flood';
import { FloodOutcome, floodInWorker } from '../flood-worker';
import { load } from '../load';
import { ClaimFloodRun } from '../types';
import { errorText, fmt, log, round } from '../util';

// One user sending 10,000 claims must not slow the other users' claims more than a stated factor
// (README, Performance). The claim routes refuse a user over COUPON_CLAIM_RATE_PER_USER claims per
// second with 429 RATE_LIMITED in a Fastify hook, before Nest, the database or the broker, and
// answer the refusal COUPON_CLAIM_REFUSAL_DELAY_MS later; this measures what the flood still costs
// everyone else.

/** While waiting for the flood to end, the other users' load goes on at most this long past the baseline's length. */
const OVERTIME_SECONDS = 120;

const claimBody = () => ({});

/**
 * One repetition, on one coupon whose cap is never reached:
 * - baseline: other users' sync claims (POST /coupons/:id/claims), each from a distinct user with
 *   its own token, evenly paced at floodRate/s for floodSeconds (open model, latency from the due
 *   time, as the fixed-rate runs);
 * - flood: the same load from fresh users, and after a lead-in one more user sends floodClaims
 *   claims as fast as it can (closed loop over floodConns connections, alternating the sync and the
 *   queued route, which share its count) from a worker thread of the bench. The other users' load
 *   lasts floodSeconds and until the flood has ended; its claims due between the flooder's first
 *   request and its last answer are what is compared with the baseline.
 */
export async function claimFlood(bench: Bench, rep: number): Promise<ClaimFloodRun> {
  const { counts, config, db } = bench;
  const port = config.ports.coupon;
  const rate = counts.floodRate;
  const seconds = counts.floodSeconds;
  const aloneN = Math.ceil(rate * seconds);
  // every claimant a distinct user of the pool (and none the flooder), as long as it is big enough
  const ceiling = Math.max(aloneN, Math.min(Math.ceil(rate * (seconds + OVERTIME_SECONDS)), counts.users - 1 - aloneN));
  const coupon = await newCoupon(bench, Math.max(100_000, aloneN + ceiling + 1));
  const path = `/coupons/${coupon.id}/claims`;
  const flooder = bench.users.takeSignedIn(1);
  const alone = bench.users.takeSignedIn(aloneN).tokens;
  const during = bench.users.takeSignedIn(ceiling).tokens;

  const baseline = await load({
    port,
    path,
    amount: aloneN,
    rate,
    connections: counts.conns,
    bodyFor: claimBody,
    tokenFor: (i) => alone[i],
  });

  const paths = [path, `${path}/async`];
  const leadInMs = Math.min(1000, seconds * 250);
  const answers: TimedAnswer[] = [];
  let phaseStart = 0;
  let floodEnded = false;
  let floodError: unknown;
  let flood: Promise<FloodOutcome | undefined> | undefined;
  const cpuNow = () => ({
    api: bench.procs.cpuSeconds('coupon'),
    worker: bench.procs.cpuSeconds('coupon-worker'),
    bench: process.cpuUsage(),
    at: performance.now(),
  });
  let cpuFrom = cpuNow();
  let cpuTo = cpuFrom;
  const startFlood = () => {
    const spec = { port, paths, token: flooder.tokens[0], amount: counts.floodClaims, connections: counts.floodConns };
    flood = floodInWorker(spec, () => (cpuFrom = cpuNow())).then(
      (outcome) => {
        cpuTo = cpuNow();
        floodEnded = true;
        return outcome;
      },
      (error: unknown) => {
        floodEnded = true;
        floodError = error;
        return undefined;
      },
    );
  };
  const others = await load({
    port,
    path,
    amount: ceiling,
    rate,
    connections: counts.conns,
    bodyFor: claimBody,
    tokenFor: (i) => during[i],
    onStart: (start) => {
      phaseStart = start;
      setTimeout(startFlood, leadInMs);
    },
    stopWhen: (now) => floodEnded && now - phaseStart >= seconds * 1000,
    onAnswer: ({ dueMs, micros, outcome }) => answers.push({ dueMs, micros, outcome }),
  });
  const outcome = flood ? await flood : undefined;
  if (!outcome) throw new Error(`claim flood #${rep}: the flooder did not finish (${errorText(floodError ?? 'never started')})`);

  const from = outcome.startedAtEpochMs - performance.timeOrigin;
  const to = outcome.endedAtEpochMs - performance.timeOrigin;
  const othersDuringFlood = answersWithin(answers, from, to);
  const cpuSeconds = (cpuTo.at - cpuFrom.at) / 1000;
  const cores = (from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined ? undefined : round((to - from) / cpuSeconds, 2);
  const benchMicros =
    cpuTo.bench.user - cpuFrom.bench.user + (cpuTo.bench.system - cpuFrom.bench.system); // both threads
  const lastDue = answers.reduce((m, a) => Math.max(m, a.dueMs), -Infinity);
  const perUserLimit = bench.couponEnv.COUPON_CLAIM_RATE_PER_USER;
  const f = outcome.result;
  // the flooder's queued claims that got through are applied (and refused: it holds one already) by the consumer
  await waitTerminal(db, coupon.id, 60_000);
  const invariants = await checkCoupon(bench, `claim flood #${rep}`, coupon.id);
  const run: ClaimFloodRun = {
    couponId: coupon.id,
    rate,
    baseline,
    others,
    othersDuringFlood,
    leadInMs: Math.round(from - phaseStart),
    // covered when a claim was due within one pacing interval of the flood's end (the load stops
    // once it hears the flood ended, so its last due time may fall just short of that end)
    othersCoveredFlood: lastDue >= to - 1000 / rate,
    flooder: {
      ...f,
      userId: flooder.ids[0],
      connections: Math.min(counts.floodConns, counts.floodClaims),
      paths: paths.map((p) => p.replace(String(coupon.id), ':id')),
      perUserLimit,
      allowance: floodAllowance(perUserLimit, f.seconds),
      answers: sortFlooderAnswers(f.outcomes, f.errors),
    },
    cpuDuringFlood: {
      couponApi: cores(cpuFrom.api, cpuTo.api),
      couponWorker: cores(cpuFrom.worker, cpuTo.worker),
      bench: round(benchMicros / 1e6 / cpuSeconds, 2),
    },
    factor: {
      p50: slowdown(othersDuringFlood.latencyMs.p50, baseline.latencyMs.p50),
      p99: slowdown(othersDuringFlood.latencyMs.p99, baseline.latencyMs.p99),
    },
    othersRefused: notIssued(baseline) + notIssued(others),
    invariants,
  };
  const L = (p: { p50: number; p99: number }) => `p50 ${fmt(p.p50, 2)} / p99 ${fmt(p.p99, 2)} ms`;
  log(
    `claim flood #${rep + 1}: other users @ ${rate}/s alone ${L(baseline.latencyMs)}, during the flood ` +
      `${L(othersDuringFlood.latencyMs)} (${othersDuringFlood.latencyMs.count} claims; factor p50 ${fmt(run.factor.p50, 2)}x, ` +
      `p99 ${fmt(run.factor.p99, 2)}x), not issued ${run.othersRefused}; flooder ${fmt(f.requests, 0)} answers in ` +
      `${fmt(f.seconds, 2)} s: ${JSON.stringify(f.outcomes)}, through ${run.flooder.answers.through} (allowance ${run.flooder.allowance}); CPU during the flood (cores): ` +
      `coupon API ${fmt(run.cpuDuringFlood.couponApi, 2)}, consumer ${fmt(run.cpuDuringFlood.couponWorker, 2)}, bench ${fmt(run.cpuDuringFlood.bench, 2)}`,
  );
  return run;
}
