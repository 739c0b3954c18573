import { BenchReport, ClaimFloodRun, ClaimFloodSummary, Latency, Percentiles, Summary, Target } from './types';
import { median, round } from './util';

/** The median of f over the runs; NaN when the scenario did not run. */
const m = <T>(runs: readonly T[] | undefined, f: (run: T) => number | undefined): number =>
  runs ? median(runs.map((r) => f(r) ?? NaN)) : NaN;

/** Median p50 / p95 / p99 / max over the runs. */
function latency<T>(runs: readonly T[], f: (run: T) => Percentiles): Latency {
  return {
    p50: m(runs, (r) => f(r).p50),
    p95: m(runs, (r) => f(r).p95),
    p99: m(runs, (r) => f(r).p99),
    max: m(runs, (r) => f(r).max),
  };
}
const lat = <T>(runs: readonly T[] | undefined, f: (run: T) => Percentiles): Latency | undefined =>
  runs ? latency(runs, f) : undefined;

const ratio = (a: number, b: number): number => round(a / b, 2);

function target(
  name: string,
  measured: number | undefined,
  goal: string,
  pass: (x: number) => boolean,
  unit: string,
): Target {
  const x = measured ?? NaN;
  return { name, measured: x, target: goal, pass: Number.isFinite(x) ? pass(x) : null, unit };
}

/**
 * The claim flood over its repetitions: medians, the factor of each repetition (its flood against
 * its own baseline), the flooder's largest share of its allowance, the other users' refusals summed.
 */
function claimFloodSummary(runs: readonly ClaimFloodRun[] | undefined): ClaimFloodSummary | undefined {
  if (!runs?.length) return undefined;
  return {
    rate: m(runs, (x) => x.rate),
    claims: m(runs, (x) => x.flooder.requests + x.flooder.errors),
    baseline: latency(runs, (x) => x.baseline.latencyMs),
    duringFlood: latency(runs, (x) => x.othersDuringFlood.latencyMs),
    p50Factor: m(runs, (x) => x.factor.p50),
    p99Factor: m(runs, (x) => x.factor.p99),
    flooderSeconds: m(runs, (x) => x.flooder.seconds),
    flooderRps: m(runs, (x) => x.flooder.rps),
    flooderLimited: m(runs, (x) => x.flooder.answers.limited),
    flooderThrough: m(runs, (x) => x.flooder.answers.through),
    worstThroughOfAllowance: Math.max(...runs.map((x) => ratio(x.flooder.answers.through, x.flooder.allowance))),
    othersRefused: runs.reduce((n, x) => n + x.othersRefused, 0),
  };
}

/** Medians of the repetitions, and the latency targets (README, Performance), as ratios within this run where a limit applies. */
export function summarize(r: Pick<BenchReport, 'scenarios' | 'durationSec'>): Summary {
  const S = r.scenarios;
  const fixedRate = S.fixedRate
    ? Object.fromEntries(
        Object.entries(S.fixedRate).map(([k, runs]) => [
          k,
          {
            rate: m(runs, (x) => x.rate),
            p50: m(runs, (x) => x.latencyMs.p50),
            p99: m(runs, (x) => x.latencyMs.p99),
            serviceP99: m(runs, (x) => x.serviceMs?.p99),
            rps: m(runs, (x) => x.rps),
          },
        ]),
      )
    : undefined;
  const s: Omit<Summary, 'targets'> = {
    contentionSyncRps: m(S.contention?.sync, (x) => x.rps),
    contentionSyncLatency: lat(S.contention?.sync, (x) => x.latencyMs),
    contentionKafkaRps: m(S.contention?.kafka, (x) => x.rps),
    contentionKafkaLatency: lat(S.contention?.kafka, (x) => x.latencyMs),
    syncClaimsPerSec: m(S.success?.sync, (x) => x.claimsPerSec),
    syncLatency: lat(S.success?.sync, (x) => x.latencyMs),
    syncClaimsPerTransaction: m(S.success?.sync, (x) => x.grouping.claimsPerTransaction),
    kafkaAcceptedPerSec: m(S.success?.kafka, (x) => x.acceptedPerSec),
    kafkaAcceptLatency: lat(S.success?.kafka, (x) => x.latencyMs),
    kafkaIssuedPerSec: m(S.success?.kafka, (x) => x.issuedPerSec),
    kafkaDrainIssuedPerSec: m(S.success?.kafkaDrain, (x) => x.issuedPerSec),
    kafkaDrainClaimsPerTransaction: m(S.success?.kafkaDrain, (x) => x.grouping.claimsPerTransaction),
    kafkaAcceptedWithoutConsumer: m(S.success?.kafkaDrain, (x) => x.acceptedPerSecWithoutConsumer),
    kafkaEndToEnd: lat(S.success?.kafka, (x) => x.endToEndMs),
    noopRps: m(S.limits?.noop, (x) => x.rps),
    noopLatency: lat(S.limits?.noop, (x) => x.latencyMs),
    rawMysqlClaimsPerSec: m(S.limits?.rawMysqlGuardedClaim, (x) => x.claimsPerSec),
    rawGroupedClaimsPerSec: m(S.limits?.rawGroupedClaims, (x) => x.claimsPerSec),
    rawGroupedLatency: lat(S.limits?.rawGroupedClaims, (x) => x.latencyMs),
    rawGroupedClaimsPerTransaction: m(S.limits?.rawGroupedClaims, (x) => x.claimsPerTransaction),
    rawApplyIssuedPerSec: m(S.limits?.rawBatchedApply, (x) => x.issuedPerSec),
    rawApplyWallClockPerSec: m(S.limits?.rawBatchedApply, (x) => x.wallClockPerSec),
    rawApplyClaimsPerTransaction: m(S.limits?.rawBatchedApply, (x) => x.grouping.claimsPerTransaction),
    rawInsertRowsPerSec: m(S.limits?.rawBatchedInsert, (x) => x.rowsPerSec),
    rawKafkaMsgsPerSec: m(S.limits?.rawKafkaProduce, (x) => x.messagesPerSec),
    fixedRate,
    claimFlood: claimFloodSummary(S.claimFlood),
  };
  const saga = S.saga && 'saturation' in S.saga ? S.saga : undefined;
  if (saga) {
    s.sagaOrdersPerSec = m(saga.saturation, (x) => x.completedPerSec);
    s.sagaSaturation = lat(saga.saturation, (x) => x.endToEndMs);
    s.sagaFixed = Object.fromEntries(
      Object.entries(saga.fixedRate).map(([k, runs]) => [
        k,
        {
          rate: m(runs, (x) => x.rate),
          ordersPerSec: m(runs, (x) => x.completedPerSec),
          ...latency(runs, (x) => x.endToEndMs),
          rawChainP50: m(saga.rawChain?.fixedRate[k], (x) => x.endToEndMs.p50),
          rawChainP99: m(saga.rawChain?.fixedRate[k], (x) => x.endToEndMs.p99),
        },
      ]),
    );
    if (saga.idle && saga.rawChain) {
      s.sagaIdle = {
        sagaP50: saga.idle.endToEndMs.p50,
        sagaP99: saga.idle.endToEndMs.p99,
        rawChainP50: saga.rawChain.idle.endToEndMs.p50,
        rawChainP99: saga.rawChain.idle.endToEndMs.p99,
      };
    }
  }
  const targets = [
    target('Kafka accept / no-op endpoint', ratio(s.kafkaAcceptedPerSec, s.noopRps), '>= 0.6x', (x) => x >= 0.6, 'x'),
    target('Kafka accept p99 at 70% saturation', s.fixedRate?.kafka?.p99, '<= 20 ms', (x) => x <= 20, 'ms'),
    target(
      'Kafka drain / raw batched apply',
      ratio(s.kafkaDrainIssuedPerSec, s.rawApplyIssuedPerSec),
      '>= 0.8x',
      (x) => x >= 0.8,
      'x',
    ),
    target('Kafka issued/s draining a backlog', s.kafkaDrainIssuedPerSec, '>= 5,000/s', (x) => x >= 5000, '/s'),
    target(
      'Sync / raw grouped guarded claims',
      ratio(s.syncClaimsPerSec, s.rawGroupedClaimsPerSec),
      '>= 0.8x',
      (x) => x >= 0.8,
      'x',
    ),
    // one user's flood of claims must not slow the other users' claims more than this
    target(
      "Claim flood: other users' p99, during / without the flood",
      s.claimFlood?.p99Factor,
      '<= 2x',
      (x) => x <= 2,
      'x',
    ),
    target("Claim flood: other users' claims not issued", s.claimFlood?.othersRefused, '0', (x) => x === 0, 'claims'),
    target(
      "Claim flood: flooder's claims let through / its allowance",
      s.claimFlood?.worstThroughOfAllowance,
      '<= 1x',
      (x) => x <= 1,
      'x',
    ),
    target('Saga orders/s at saturation', s.sagaOrdersPerSec, '>= 1,000/s', (x) => x >= 1000, '/s'),
    target(
      'Saga idle p50 / raw 4-hop chain idle p50',
      ratio(s.sagaIdle?.sagaP50 ?? NaN, s.sagaIdle?.rawChainP50 ?? NaN),
      '<= 1.5x',
      (x) => x <= 1.5,
      'x',
    ),
    target(
      'Saga idle p99 / raw 4-hop chain idle p99',
      ratio(s.sagaIdle?.sagaP99 ?? NaN, s.sagaIdle?.rawChainP99 ?? NaN),
      '<= 2x',
      (x) => x <= 2,
      'x',
    ),
    target('Saga p99 at 30% saturation', s.sagaFixed?.['30%']?.p99, '<= 100 ms', (x) => x <= 100, 'ms'),
    target('Saga p99 at 70% saturation', s.sagaFixed?.['70%']?.p99, '<= 200 ms', (x) => x <= 200, 'ms'),
    target('Whole bench duration', r.durationSec, '<= 600 s', (x) => x <= 600, 's'),
  ];
  return { ...s, targets };
}
