// The shape of bench/results/<ts>.json. Field names are read by bench/bench.e2e-spec.ts and by
// whoever compares runs: add fields, never rename one.
import { Counts } from './config';
import type { HopTrace, Spread } from './hops';
import type { RawChainRun } from './raw-chain';

/** Latency percentiles in ms, and how many were recorded. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

/** One HTTP load run; outcomes are counted by "status" or "status CODE". */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  latencyMs: Percentiles;
  errors: number;
  non2xx: number;
  outcomes: Record<string, number>;
  /** Open model only: from the moment the request was handed to the HTTP client. */
  serviceMs?: Percentiles;
  /** Open model only. */
  model?: string;
}

/** The coupon invariants after a scenario (the named checks of @app/platform/invariants). */
export interface CouponCheck {
  ok: boolean;
  checks: Record<string, boolean>;
  /** The failed checks with their figures, '' when all held. */
  failed: string;
  issued: number;
  total: number;
  claims: Record<string, number>;
}

/** How a path grouped its claims into transactions, read back from the rows it wrote. */
export interface Grouping {
  /** Distinct write timestamps of the claims: one per transaction (two in the same ms count once). */
  transactions: number;
  claimsPerTransaction: number;
}

export interface ContentionRun extends LoadResult {
  couponId: number;
  pendingAfterDrain: number;
  invariants: CouponCheck;
}

export interface SuccessSyncRun extends LoadResult {
  claimsPerSec: number;
  grouping: Grouping;
  invariants: CouponCheck;
}

export interface SuccessKafkaRun extends LoadResult {
  acceptedPerSec: number;
  issued: number;
  issuedPerSec: number;
  drainedAfterMs: number;
  pendingAfterDrain: number;
  endToEndMs: Percentiles;
  /** [ms since start, issued] every 250 ms */
  issuedSeries: [number, number][];
  invariants: CouponCheck;
}

export interface DrainRun extends LoadResult {
  accepted: number;
  acceptedPerSecWithoutConsumer: number;
  backlog: number;
  issued: number;
  issuedPerSec: number;
  pendingAfterDrain: number;
  grouping: Grouping;
  invariants: CouponCheck;
}

/** Reference: raw mysql2, one transaction per claim (not how either path works). */
export interface RawNaiveClaimsRun {
  claims: number;
  seconds: number;
  claimsPerSec: number;
  latencyMs: Percentiles;
  invariants: CouponCheck;
}

/** Limit of the sync path: its statements in raw mysql2, grouped by the same GroupCommit rule. */
export interface RawGroupedClaimsRun {
  claims: number;
  seconds: number;
  claimsPerSec: number;
  latencyMs: Percentiles;
  workers: number;
  group: { maxBatch: number; lingerMs: number; maxInFlight: number };
  transactions: number;
  claimsPerTransaction: number;
  largestTransaction: number;
  grouping: Grouping;
  invariants: CouponCheck;
}

/** Limit of the backlog drain: the consumer's set-based apply in raw mysql2, same batch size. */
export interface RawBatchedApplyRun {
  backlog: number;
  issued: number;
  batchSize: number;
  transactions: number;
  /** Measured like the drain: issued / (last - first updated_at of the ISSUED claims). */
  issuedPerSec: number;
  /** Issued / wall-clock time of the whole apply. */
  wallClockPerSec: number;
  seconds: number;
  grouping: Grouping;
  invariants: CouponCheck;
}

export interface RawInsertRun {
  rows: number;
  seconds: number;
  rowsPerSec: number;
}

export interface RawKafkaRun {
  messages: number;
  seconds: number;
  messagesPerSec: number;
}

export interface FixedRateRun extends LoadResult {
  rate: number;
  invariants?: CouponCheck;
}

/** The flooder's answers, sorted: refused by the limit, or let through to the claim (any answer but 429). */
export interface FlooderAnswers {
  /** 429 RATE_LIMITED */
  limited: number;
  /** Reached the claim: 201 / 202 / 409 COUPON_ALREADY_CLAIMED and the like. */
  through: number;
  /** Transport errors and timeouts (no answer). */
  errors: number;
}

/**
 * One repetition of the claim flood (scenarios/claim-flood.ts): other users' sync claims at a fixed
 * rate, alone (baseline) and while one user sends its claims as fast as it can, on the same coupon.
 */
export interface ClaimFloodRun {
  couponId: number;
  /** The other users' sync claims per second, each from a distinct user, in both phases. */
  rate: number;
  /** The other users alone, `floodSeconds` long. */
  baseline: LoadResult;
  /** The other users through the whole flood phase (it lasts at least as long as the baseline, and until the flood ended). */
  others: LoadResult;
  /**
   * The other users' claims due while the flooder was sending (its first request to its last
   * answer): the figures the factor compares with the baseline.
   */
  othersDuringFlood: { latencyMs: Percentiles; outcomes: Record<string, number> };
  /** The flood started this long after the other users' load of the flood phase. */
  leadInMs: number;
  /** The other users' load lasted until the flood ended, to within one pacing interval (false: it hit its ceiling first and the window is cut short). */
  othersCoveredFlood: boolean;
  /** The flooder: one user, its claims in a closed loop over `connections` connections, alternating over `paths`. */
  flooder: LoadResult & {
    userId: number;
    connections: number;
    paths: string[];
    /** COUPON_CLAIM_RATE_PER_USER of the coupon app. */
    perUserLimit: number;
    /** The most the limit may let through while it sent (floodAllowance). */
    allowance: number;
    answers: FlooderAnswers;
  };
  /**
   * CPU used during the flood (from its first request to its last answer), in cores (CPU seconds
   * per second): the coupon API process, the claim consumer process, and the bench process (the
   * load of both the flooder and the other users), which share the machine's cores.
   */
  cpuDuringFlood: { couponApi?: number; couponWorker?: number; bench: number };
  /** During the flood over alone, of the other users' p50 and p99. */
  factor: { p50: number; p99: number };
  /** The other users' claims that were not issued (any answer but 201, or none), both phases. */
  othersRefused: number;
  invariants: CouponCheck;
}

export interface SagaCheck {
  ok: boolean;
  reserved: number | undefined;
  openReservations: number;
}

export interface SagaRun extends LoadResult {
  orders: number;
  byStatus: Record<string, number>;
  completedPerSec: number;
  endToEndMs: Percentiles;
  allTerminal: boolean;
  rate?: number;
  invariants?: SagaCheck;
  /** Where the time went, per hop, for (a sample of) the completed orders of the run. */
  hops?: HopTrace;
}

/** The saga one order at a time. */
export interface SagaIdleRun {
  orders: number;
  /** order row created_at -> updated_at (COMPLETED), like endToEndMs of the other runs. */
  endToEndMs: Spread;
  /** POST sent -> COMPLETED seen in the database (polled every 5 ms). */
  clientMs: Spread;
  hops: HopTrace;
}

/** The saga's limit: the raw four-hop chain (bench/src/raw-chain.ts), idle and at the saga's fixed rates. */
export interface RawChainScenarios {
  idle: RawChainRun;
  fixedRate: Record<string, RawChainRun[]>;
}

export interface CouponLimits {
  noop: LoadResult[];
  /** The naive loop, kept as a reference (its key predates the like-with-like limits). */
  rawMysqlGuardedClaim: RawNaiveClaimsRun[];
  rawGroupedClaims: RawGroupedClaimsRun[];
  rawBatchedApply: RawBatchedApplyRun[];
  rawBatchedInsert: RawInsertRun[];
  rawKafkaProduce: RawKafkaRun[];
}

export type SagaScenarios =
  | {
      idle: SagaIdleRun;
      saturation: SagaRun[];
      fixedRate: Record<string, SagaRun[]>;
      rawChain: RawChainScenarios;
      skipped?: undefined;
    }
  | { skipped: string };

export interface Scenarios {
  contention?: { sync: ContentionRun[]; kafka: ContentionRun[] };
  limits?: CouponLimits;
  success?: { sync: SuccessSyncRun[]; kafka: SuccessKafkaRun[]; kafkaDrain: DrainRun[] };
  fixedRate?: { sync: FixedRateRun[]; kafka: FixedRateRun[]; noop: FixedRateRun[] };
  claimFlood?: ClaimFloodRun[];
  saga?: SagaScenarios;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Target {
  name: string;
  measured: number;
  target: string;
  /** null: not measured in this run */
  pass: boolean | null;
  unit: string;
}

export interface FixedRateSummary {
  rate: number;
  p50: number;
  p99: number;
  serviceP99: number;
  rps: number;
}

/** The claim flood, medians of the repetitions; the flooder's worst repetition where a bound applies. */
export interface ClaimFloodSummary {
  /** The other users' claims per second, and the flooder's claims (per repetition). */
  rate: number;
  claims: number;
  /** The other users alone, and during the flood (latency from the due time, ms). */
  baseline: Latency;
  duringFlood: Latency;
  p50Factor: number;
  p99Factor: number;
  /** How long the flooder took to get its answers (s), and its answers per second. */
  flooderSeconds: number;
  flooderRps: number;
  flooderLimited: number;
  flooderThrough: number;
  /** The largest share of its allowance the flooder got through in any repetition. */
  worstThroughOfAllowance: number;
  /** The other users' claims not issued, all repetitions together. */
  othersRefused: number;
}

export interface SagaFixedSummary extends Latency {
  rate: number;
  ordersPerSec: number;
  /** The raw chain at the same rate: p50 / p99 (ms). */
  rawChainP50: number;
  rawChainP99: number;
}

export interface IdleSummary {
  sagaP50: number;
  sagaP99: number;
  rawChainP50: number;
  rawChainP99: number;
}

/** Medians of the repetitions (NaN, written as null, where a scenario did not run). */
export interface Summary {
  contentionSyncRps: number;
  contentionSyncLatency?: Latency;
  contentionKafkaRps: number;
  contentionKafkaLatency?: Latency;
  syncClaimsPerSec: number;
  syncLatency?: Latency;
  syncClaimsPerTransaction: number;
  kafkaAcceptedPerSec: number;
  kafkaAcceptLatency?: Latency;
  kafkaIssuedPerSec: number;
  kafkaDrainIssuedPerSec: number;
  kafkaDrainClaimsPerTransaction: number;
  kafkaAcceptedWithoutConsumer: number;
  kafkaEndToEnd?: Latency;
  noopRps: number;
  noopLatency?: Latency;
  /** The naive one-transaction-per-claim loop (reference). */
  rawMysqlClaimsPerSec: number;
  rawGroupedClaimsPerSec: number;
  rawGroupedLatency?: Latency;
  rawGroupedClaimsPerTransaction: number;
  rawApplyIssuedPerSec: number;
  rawApplyWallClockPerSec: number;
  rawApplyClaimsPerTransaction: number;
  rawInsertRowsPerSec: number;
  rawKafkaMsgsPerSec: number;
  fixedRate?: Record<string, FixedRateSummary>;
  claimFlood?: ClaimFloodSummary;
  sagaOrdersPerSec?: number;
  sagaSaturation?: Latency;
  sagaFixed?: Record<string, SagaFixedSummary>;
  sagaIdle?: IdleSummary;
  targets: Target[];
}

export interface BenchReport {
  id: string;
  timestamp: string;
  mode: 'smoke' | 'full';
  counts: Counts;
  machine: { cpus: number; cpuModel: string | undefined; memGiB: number; platform: string; node: string };
  software: Record<string, string>;
  config: {
    DATABASE_POOL_SIZE: number;
    connections: number;
    COUPON_CONSUMER_CONCURRENCY: number;
    COUPON_CLAIM_PARTITIONS: number;
    COUPON_BATCH_SIZE: number;
    SYNC_GROUP_COMMIT: { maxBatch: number; lingerMs: number; maxInFlight: number };
    /** The claim routes' limits the coupon app ran with (the address limit raised by the bench: all its load comes from 127.0.0.1). */
    COUPON_CLAIM_RATE_PER_USER?: number;
    COUPON_CLAIM_RATE_PER_IP?: number;
    /** How long the coupon app held a refused claim's 429 (ms). */
    COUPON_CLAIM_REFUSAL_DELAY_MS?: number;
  };
  scenarios: Scenarios;
  peakRssMiB: Record<string, number | undefined>;
  failures: string[];
  durationSec: number;
  summary: Summary;
  ok: boolean;
}
