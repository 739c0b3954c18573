import { newHistogram, percentiles, recordMicros } from './load';
import { FlooderAnswers, LoadResult, Percentiles } from './types';
import { round } from './util';

// The pure arithmetic of the claim flood (scenarios/claim-flood.ts): what the per-user limit may let
// through, how the flooder's answers sort, which of the other users' claims fall in the flood's
// window, and the factors.

/** An answer of the open-model load (LoadSpec.onAnswer): its due time (performance.now() ms) and latency from it (µs). */
export interface TimedAnswer {
  dueMs: number;
  micros: number;
  outcome: string;
}

export const RATE_LIMITED = '429 RATE_LIMITED';

/**
 * The most claims a per-user limit of `perSecond` (counted over one-second windows) may let through
 * to one user sending for `seconds`: one window's worth for every second begun, and one more window
 * for a window already open when it started.
 */
export function floodAllowance(perSecond: number, seconds: number): number {
  return perSecond * (Math.ceil(Math.max(0, seconds)) + 1);
}

/** The flooder's answers by outcome ("429 RATE_LIMITED", "201", …) sorted: refused by the limit, or let through. */
export function sortFlooderAnswers(outcomes: Record<string, number>, errors: number): FlooderAnswers {
  let limited = 0;
  let through = 0;
  for (const [k, n] of Object.entries(outcomes)) {
    if (k === RATE_LIMITED) limited += n;
    else through += n;
  }
  return { limited, through, errors };
}

/** Of a load's claims, how many were not issued: any answer but 201, and the requests with no answer. */
export function notIssued(r: Pick<LoadResult, 'outcomes' | 'errors'>): number {
  return Object.entries(r.outcomes).reduce((n, [k, v]) => (k === '201' ? n : n + v), 0) + r.errors;
}

/** The answers to the requests due within [fromMs, toMs]: their latency and outcomes. */
export function answersWithin(
  answers: readonly TimedAnswer[],
  fromMs: number,
  toMs: number,
): { latencyMs: Percentiles; outcomes: Record<string, number> } {
  const h = newHistogram();
  const outcomes: Record<string, number> = {};
  for (const a of answers) {
    if (a.dueMs < fromMs || a.dueMs > toMs) continue;
    recordMicros(h, a.micros);
    outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
  }
  return { latencyMs: percentiles(h), outcomes };
}

/** During the flood over alone, 2 decimals; NaN when either is missing or the baseline is 0. */
export function slowdown(during: number, alone: number): number {
  return alone > 0 ? round(during / alone, 2) : NaN;
}
