import { SMOKE_COUNTS } from '../config';
import { SAGA_HOPS, Spread } from '../hops';
import { RawChainRun } from '../raw-chain';
import { summarize } from '../summary';
import { BenchReport, ClaimFloodRun, CouponCheck, LoadResult, Percentiles, Scenarios } from '../types';

// A small, complete bench report for the unit specs of summary.ts and report.ts.

export const pct = (p50: number, p99 = p50 * 2): Percentiles => ({
  p50,
  p95: (p50 + p99) / 2,
  p99,
  max: p99 + 1,
  count: 100,
});
const inv: CouponCheck = {
  ok: true,
  checks: { 'issued <= cap': true },
  failed: '',
  issued: 100,
  total: 100,
  claims: { ISSUED: 100 },
};
const loadRun = (rps: number, latency = 10): LoadResult => ({
  requests: 100,
  seconds: 1,
  rps,
  latencyMs: pct(latency),
  errors: 0,
  non2xx: 0,
  outcomes: { '201': 100 },
});
const grouping = { transactions: 10, claimsPerTransaction: 10 };
const sp = (p50: number, p99 = p50 * 2): Spread => ({ p50, p99, mean: (p50 + p99) / 2, count: 100 });
const hops = (each: number) => ({
  orders: 100,
  hops: SAGA_HOPS.map((h) => ({ ...h, ms: sp(each) })),
  totalMs: sp(each * 12),
});
const chain = (p50: number, p99: number, rate?: number): RawChainRun => ({
  started: 100,
  completed: 100,
  ...(rate ? { rate } : {}),
  seconds: 1,
  endToEndMs: sp(p50, p99),
  hopsMs: [sp(p50 / 4), sp(p50 / 4), sp(p50 / 4), sp(p50 / 4)],
});

/** A claim flood repetition: the other users' p50/p99 alone and during the flood, what the flooder got through. */
export function floodRun(alone: [number, number], during: [number, number], through: number, refused = 0): ClaimFloodRun {
  const limited = 10_000 - through;
  return {
    couponId: 9,
    rate: 200,
    baseline: { ...loadRun(200, alone[0]), latencyMs: pct(alone[0], alone[1]) },
    others: { ...loadRun(200, during[0]), latencyMs: pct(during[0], during[1]) },
    othersDuringFlood: { latencyMs: { ...pct(during[0], during[1]), count: 400 }, outcomes: { '201': 400 } },
    leadInMs: 1000,
    othersCoveredFlood: true,
    flooder: {
      ...loadRun(5000),
      requests: 10_000,
      seconds: 2,
      outcomes: { '429 RATE_LIMITED': limited, '201': 1, '409 COUPON_ALREADY_CLAIMED': through - 1 },
      non2xx: 10_000 - 1,
      userId: 7,
      connections: 64,
      paths: ['/coupons/:id/claims', '/coupons/:id/claims/async'],
      perUserLimit: 20,
      allowance: 60,
      answers: { limited, through, errors: 0 },
    },
    cpuDuringFlood: { couponApi: 0.97, couponWorker: 0.05, bench: 0.62 },
    factor: { p50: round2(during[0] / alone[0]), p99: round2(during[1] / alone[1]) },
    othersRefused: refused,
    invariants: inv,
  };
}
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Runs of each scenario with the given figures (three repetitions where the median matters). */
export function scenarios(f: {
  sync: number[];
  rawGrouped: number[];
  drain: number;
  rawApply: number;
  accept: number;
  noop: number;
  sagaIdle: [number, number];
  rawIdle: [number, number];
  saga: number;
  sagaP99: number;
  kafkaP99: number;
}): Scenarios {
  return {
    contention: {
      sync: [{ ...loadRun(5000), couponId: 1, pendingAfterDrain: 0, invariants: inv }],
      kafka: [{ ...loadRun(4000), couponId: 2, pendingAfterDrain: 0, invariants: inv }],
    },
    limits: {
      noop: [loadRun(f.noop, 5)],
      rawMysqlGuardedClaim: [{ claims: 100, seconds: 0.1, claimsPerSec: 1000, latencyMs: pct(3), invariants: inv }],
      rawGroupedClaims: f.rawGrouped.map((claimsPerSec) => ({
        claims: 100,
        seconds: 0.1,
        claimsPerSec,
        latencyMs: pct(20),
        workers: 100,
        group: { maxBatch: 200, lingerMs: 0, maxInFlight: 2 },
        transactions: 5,
        claimsPerTransaction: 40,
        largestTransaction: 60,
        grouping,
        invariants: inv,
      })),
      rawBatchedApply: [
        {
          backlog: 1000,
          issued: 1000,
          batchSize: 1000,
          transactions: 1,
          issuedPerSec: f.rawApply,
          wallClockPerSec: f.rawApply,
          seconds: 0.1,
          grouping,
          invariants: inv,
        },
      ],
      rawBatchedInsert: [{ rows: 1000, seconds: 0.01, rowsPerSec: 100_000 }],
      rawKafkaProduce: [{ messages: 1000, seconds: 0.01, messagesPerSec: 100_000 }],
    },
    success: {
      sync: f.sync.map((claimsPerSec) => ({ ...loadRun(claimsPerSec, 30), claimsPerSec, grouping, invariants: inv })),
      kafka: [
        {
          ...loadRun(f.accept, 17),
          acceptedPerSec: f.accept,
          issued: 100,
          issuedPerSec: 5000,
          drainedAfterMs: 100,
          pendingAfterDrain: 0,
          endToEndMs: pct(99),
          issuedSeries: [[0, 0]],
          invariants: inv,
        },
      ],
      kafkaDrain: [
        {
          ...loadRun(6000),
          accepted: 100,
          acceptedPerSecWithoutConsumer: 6600,
          backlog: 100,
          issued: 100,
          issuedPerSec: f.drain,
          pendingAfterDrain: 0,
          grouping,
          invariants: inv,
        },
      ],
    },
    fixedRate: {
      sync: [{ ...loadRun(2000), rate: 2000, serviceMs: pct(14) }],
      kafka: [{ ...loadRun(3000), latencyMs: pct(14, f.kafkaP99), rate: 3000, serviceMs: pct(14) }],
      noop: [{ ...loadRun(7000), rate: 7000, serviceMs: pct(2) }],
    },
    // p99 factors 1.5, 2.5, 1.8 (median 1.8); let through 30, 41, 66 of an allowance of 60
    claimFlood: [floodRun([4, 10], [5, 15], 30), floodRun([4, 10], [6, 25], 41), floodRun([4, 10], [5, 18], 66)],
    saga: {
      idle: { orders: 100, endToEndMs: sp(f.sagaIdle[0], f.sagaIdle[1]), clientMs: sp(130, 300), hops: hops(10) },
      rawChain: { idle: chain(f.rawIdle[0], f.rawIdle[1]), fixedRate: { '70%': [chain(150, 400, 880)] } },
      saturation: [
        {
          ...loadRun(1000),
          orders: 3000,
          byStatus: { COMPLETED: 3000 },
          completedPerSec: f.saga,
          endToEndMs: pct(800),
          allTerminal: true,
        },
      ],
      fixedRate: {
        '70%': [
          {
            ...loadRun(800),
            orders: 800,
            byStatus: { COMPLETED: 800 },
            completedPerSec: 800,
            endToEndMs: pct(300, f.sagaP99),
            allTerminal: true,
            rate: 880,
            hops: hops(25),
          },
        ],
      },
    },
  };
}

export const FIGURES = {
  sync: [3000, 2900, 3100],
  rawGrouped: [3500, 4000, 3800],
  drain: 7750,
  rawApply: 9000,
  accept: 5250,
  noop: 9930,
  saga: 1261,
  sagaP99: 825,
  sagaIdle: [114, 321] as [number, number],
  rawIdle: [24, 77] as [number, number],
  kafkaP99: 77,
};

export function report(s: Scenarios = scenarios(FIGURES), durationSec = 255): BenchReport {
  return {
    id: 'b1',
    timestamp: '2026-11-25T13:42:23.361Z',
    mode: 'full',
    counts: { ...SMOKE_COUNTS, reps: 3 },
    machine: { cpus: 2, cpuModel: 'AMD EPYC', memGiB: 23.5, platform: 'Linux 6', node: 'v24.21.0' },
    software: { mysql2: '3.24.6' },
    config: {
      DATABASE_POOL_SIZE: 10,
      connections: 20,
      COUPON_CONSUMER_CONCURRENCY: 3,
      COUPON_CLAIM_PARTITIONS: 6,
      COUPON_BATCH_SIZE: 1000,
      SYNC_GROUP_COMMIT: { maxBatch: 200, lingerMs: 0, maxInFlight: 2 },
      COUPON_CLAIM_RATE_PER_USER: 20,
      COUPON_CLAIM_RATE_PER_IP: 10_000_000,
      COUPON_CLAIM_REFUSAL_DELAY_MS: 100,
    },
    scenarios: s,
    peakRssMiB: { coupon: 427, bench: 244 },
    failures: [],
    durationSec,
    summary: summarize({ scenarios: s, durationSec }),
    ok: true,
  };
}
