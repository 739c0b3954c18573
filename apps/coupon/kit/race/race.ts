// A first-come-first-served race for one coupon, over the coupon app's public HTTP API: N new users
// claim at once on the sync path, the queued path or both, until every claim is decided; then the
// coupon invariants (../invariants) are checked against GET /coupons/:id/audit. Shared by
// `npm run experiment:coupon` (scripts/coupon-experiment) and the console's race (apps/console).
// No Nest, Prisma or kafkajs: fetch only.
//
// Authentication: the caller hands the race an operator's bearer token
// (RaceOptions.operatorToken), which it reads the audit with; the race signs in the users it creates
// itself, with POST /auth/dev-tokens on the coupon app (one call per up to 20,000 users), and each
// user claims with its own token and an empty body (the claiming user is the token's subject). With
// dev tokens off (AUTH_DEV_TOKENS=off, the default under NODE_ENV=production) the race cannot sign
// its users in: it ends `failed`, saying so.
import { z } from 'zod';
import { checkCouponInvariants, CouponFacts, InvariantCheck } from '../invariants';

export const RacePath = z.enum(['sync', 'queued', 'mixed']);
export type RacePath = z.infer<typeof RacePath>;
export type ClaimPath = 'sync' | 'queued';

/** Which path claimant i takes: `mixed` alternates sync and queued. */
export const pathOf = (path: RacePath, i: number): ClaimPath => (path === 'sync' || (path === 'mixed' && i % 2 === 0) ? 'sync' : 'queued');

export interface RaceOptions {
  /** The coupon app's base URL, without a trailing slash. */
  base: string;
  couponId: number;
  /** Claimants: one new user each, one claim each. */
  users: number;
  path: RacePath;
  /**
   * An operator's bearer token (without `Bearer `): the race reads GET /coupons/:id/audit with it.
   * The console passes its caller's; the experiment gets one from POST /auth/dev-tokens or --token.
   */
  operatorToken: string;
  /** Claims in flight at once (default 256): the stampede, bounded by the client's sockets. */
  concurrency?: number;
  /** How long queued claims may stay PENDING after the last answer (default 60 s). */
  settleTimeoutMs?: number;
  /** Stop early (the console's cancel); the snapshot then says failed. */
  signal?: AbortSignal;
}

export const Percentiles = z.object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() });
export type Percentiles = z.infer<typeof Percentiles>;

/** One path's figures: answers by outcome (sync: its decision; queued: accepted, then decided). */
export const PathStats = z.object({
  sent: z.number().int(),
  answered: z.number().int(),
  outcomes: z.record(z.string(), z.number().int()).describe('Outcome -> count: ISSUED, SOLD_OUT, ALREADY_CLAIMED, PENDING, or `HTTP <status> <code>`.'),
  latencyMs: Percentiles.describe('Answer time of the HTTP call (ms): the decision on the sync path, the 202 on the queued one.'),
  perSecond: z.number().describe("Answers per second, from the first claim sent to this path's latest answer."),
});
export type PathStats = z.infer<typeof PathStats>;

export const RacePhase = z.enum(['creating users', 'claiming', 'settling', 'done', 'failed']);
export type RacePhase = z.infer<typeof RacePhase>;

export const RaceSnapshot = z.object({
  phase: RacePhase,
  couponId: z.number().int(),
  path: RacePath,
  users: z.number().int(),
  usersCreated: z.number().int(),
  cap: z.number().int(),
  issued: z.number().int().describe("The coupon's counter, read during the race."),
  elapsedMs: z.number().describe('Since the first claim was sent (0 before).'),
  paths: z.object({ sync: PathStats.optional(), queued: PathStats.optional() }),
  checks: z.array(InvariantCheck).optional().describe('At the end: the coupon invariants against the audit.'),
  pass: z.boolean().optional(),
  error: z.string().optional(),
});
export type RaceSnapshot = z.infer<typeof RaceSnapshot>;

interface Reply {
  status: number;
  body: { id?: number; code?: string; status?: string; message?: string } | undefined;
}

/** POST /auth/dev-tokens takes at most this many subjects at once. */
export const SIGN_IN_BATCH = 20_000;

/**
 * The coupon app's API as the race uses it, as the principal of `token` (none: anonymous, for the
 * public routes). `as(token)` is the same API as another principal.
 */
export class CouponClient {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  as(token: string): CouponClient {
    return new CouponClient(this.base, token);
  }

  async call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(this.base + path, { method, signal, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : undefined };
  }

  async must<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const r = await this.call(method, path, body, signal);
    if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${r.body?.code ?? ''} ${r.body?.message ?? ''}`.trim());
    return r.body as T;
  }

  /** A coupon of `value` per issue and cap `total` for the vendor (a new random one when omitted); needs an operator's token. */
  async createCoupon(o: { total: number; value: number; vendorId?: number; type?: string }): Promise<{ id: number; vendorId: number }> {
    const vendorId = o.vendorId ?? (await this.must<{ id: number }>('POST', '/vendors/random')).id;
    const coupon = await this.must<{ id: number }>('POST', '/coupons', { type: o.type ?? 'RACE', value: o.value, total: o.total, vendorId });
    return { id: coupon.id, vendorId };
  }

  /**
   * Tokens for the subjects, in order, from POST /auth/dev-tokens (public): one call per
   * SIGN_IN_BATCH subjects. Throws DevTokensOffError when the app does not serve it (404).
   */
  async devTokens(subjects: readonly string[], role: 'user' | 'operator' = 'user', signal?: AbortSignal): Promise<string[]> {
    const tokens: string[] = [];
    for (let i = 0; i < subjects.length; i += SIGN_IN_BATCH) {
      const r = await this.call('POST', '/auth/dev-tokens', { subjects: subjects.slice(i, i + SIGN_IN_BATCH), roles: [role] }, signal);
      if (r.status === 404) throw new DevTokensOffError(this.base);
      if (r.status !== 200) throw new Error(`POST /auth/dev-tokens -> ${r.status} ${r.body?.code ?? ''} ${r.body?.message ?? ''}`.trim());
      tokens.push(...(r.body as { tokens: string[] }).tokens);
    }
    return tokens;
  }
}

/** The coupon app does not serve POST /auth/dev-tokens (AUTH_DEV_TOKENS=off, or NODE_ENV=production). */
export class DevTokensOffError extends Error {
  constructor(base: string) {
    super(`${base} does not serve POST /auth/dev-tokens (AUTH_DEV_TOKENS=off, the default with NODE_ENV=production): no tokens to sign in with`);
    this.name = 'DevTokensOffError';
  }
}

/** The audit of GET /coupons/:id/audit (CouponAudit in the coupon app). */
type Audit = CouponFacts & { couponId: number };

export const percentiles = (values: readonly number[]): Percentiles => {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
  return { p50: at(50), p95: at(95), p99: at(99), max: s.length ? s[s.length - 1] : 0 };
};

/** The outcome of one claim's answer. */
export function outcomeOf(path: ClaimPath, r: Reply): string {
  if (path === 'sync' && r.status === 201 && r.body?.status === 'ISSUED') return 'ISSUED';
  if (path === 'queued' && r.status === 202) return 'PENDING';
  if (r.status === 409 && r.body?.code === 'COUPON_SOLD_OUT') return 'SOLD_OUT';
  if (r.status === 409 && r.body?.code === 'COUPON_ALREADY_CLAIMED') return 'ALREADY_CLAIMED';
  return `HTTP ${r.status} ${r.body?.code ?? ''}`.trim();
}

class PathTally {
  sent = 0;
  readonly outcomes: Record<string, number> = {};
  readonly latencies: number[] = [];
  /** ms from the race's start to the latest answer: the window the answer rate is counted over. */
  private lastAnswerMs = 0;

  add(outcome: string, ms: number, sinceStartMs: number): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
    this.latencies.push(ms);
    this.lastAnswerMs = sinceStartMs;
  }

  stats(outcomes = this.outcomes): PathStats {
    return {
      sent: this.sent,
      answered: this.latencies.length,
      outcomes: { ...outcomes },
      latencyMs: percentiles(this.latencies),
      perSecond: this.lastAnswerMs > 0 ? Math.round((this.latencies.length / this.lastAnswerMs) * 1000) : 0,
    };
  }
}

/**
 * The queued path's outcomes once its claims are decided: the audit counts every stored claim by
 * status; the sync path stores only its ISSUED claims, so what the audit holds beyond the sync
 * path's issues (and beyond what the coupon held before the race) is the queued path's.
 */
export function queuedOutcomes(before: Record<string, number>, now: Record<string, number>, syncIssued: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(now)) {
    const delta = n - (before[key] ?? 0) - (key === 'ISSUED' ? syncIssued : 0);
    if (delta > 0) out[key.replace(/^REJECTED:/, '')] = delta;
  }
  return out;
}

/**
 * Runs the race; `onProgress` gets a snapshot at every phase and about every 250 ms while claims
 * are answered and decided. Resolves with the final snapshot (phase done, or failed with the error).
 */
export async function runRace(o: RaceOptions, onProgress: (s: RaceSnapshot) => void = () => undefined): Promise<RaceSnapshot> {
  const api = new CouponClient(o.base);
  const operator = api.as(o.operatorToken);
  const tallies: Record<ClaimPath, PathTally> = { sync: new PathTally(), queued: new PathTally() };
  const used = new Set<ClaimPath>(Array.from({ length: Math.min(o.users, 2) }, (_, i) => pathOf(o.path, i)));
  const snapshot: RaceSnapshot = { phase: 'creating users', couponId: o.couponId, path: o.path, users: o.users, usersCreated: 0, cap: 0, issued: 0, elapsedMs: 0, paths: {} };
  let started = 0;
  let queuedDecided: Record<string, number> | undefined;
  const emit = () => {
    snapshot.elapsedMs = started ? Date.now() - started : 0;
    for (const p of used) {
      // the queued path: refusals at accept from the answers, the accepted ones' decisions from the audit
      const decided = p === 'queued' && queuedDecided ? mergeCounts(withoutPending(tallies.queued.outcomes), queuedDecided) : undefined;
      snapshot.paths[p] = tallies[p].stats(decided);
    }
    onProgress(structuredClone(snapshot));
  };
  let ticker: NodeJS.Timeout | undefined;
  try {
    if (!o.operatorToken) throw new Error("the race needs an operator's token (operatorToken) to read the coupon's audit");
    const coupon = await api.must<{ total: number; issued: number }>('GET', `/coupons/${o.couponId}`, undefined, o.signal);
    snapshot.cap = coupon.total;
    snapshot.issued = coupon.issued;
    const left = coupon.total - coupon.issued;
    const before = (await operator.must<Audit>('GET', `/coupons/${o.couponId}/audit`, undefined, o.signal)).claims;
    emit();
    ticker = setInterval(() => {
      if (snapshot.phase !== 'creating users') {
        void api.call('GET', `/coupons/${o.couponId}`).then(
          (r) => (snapshot.issued = (r.body as { issued?: number } | undefined)?.issued ?? snapshot.issued),
          () => undefined,
        );
      }
      emit();
    }, 250);
    const userIds: number[] = [];
    await inParallel(o.users, 100, async () => {
      userIds.push((await api.must<{ id: number }>('POST', '/users/random', undefined, o.signal)).id);
      snapshot.usersCreated = userIds.length;
    });
    // each user claims as itself: its token's subject is its id
    const claimants = (await api.devTokens(userIds.map(String), 'user', o.signal)).map((token) => api.as(token));

    snapshot.phase = 'claiming';
    started = Date.now();
    await inParallel(userIds.length, o.concurrency ?? 256, async (i) => {
      const path = pathOf(o.path, i);
      const tally = tallies[path];
      tally.sent++;
      const t0 = performance.now();
      const reply = await claimants[i]
        .call('POST', `/coupons/${o.couponId}/${path === 'sync' ? 'claims' : 'claims/async'}`, undefined, o.signal)
        .catch((error: unknown) => {
          if (o.signal?.aborted) throw error;
          return { status: 0, body: { code: (error as Error)?.message ?? 'NETWORK_ERROR' } } as Reply;
        });
      tally.add(outcomeOf(path, reply), Math.round(performance.now() - t0), Date.now() - started);
    });

    // queued claims are decided by the consumer: wait until none is PENDING
    snapshot.phase = 'settling';
    const deadline = Date.now() + (o.settleTimeoutMs ?? 60_000);
    let audit: Audit;
    for (;;) {
      audit = await operator.must<Audit>('GET', `/coupons/${o.couponId}/audit`, undefined, o.signal);
      snapshot.issued = audit.issued;
      if (used.has('queued')) queuedDecided = queuedOutcomes(before, audit.claims, tallies.sync.outcomes.ISSUED ?? 0);
      emit();
      if (!audit.claims.PENDING || Date.now() > deadline) break;
      await sleep(200);
    }
    clearInterval(ticker);
    // more claimants than coupons left: the cap must be reached, not only held
    snapshot.checks = checkCouponInvariants(audit, { capReached: o.users >= left });
    snapshot.pass = snapshot.checks.every((c) => c.ok);
    snapshot.phase = 'done';
  } catch (error) {
    snapshot.phase = 'failed';
    snapshot.error = (error as Error)?.message ?? String(error);
  } finally {
    clearInterval(ticker);
  }
  emit();
  return snapshot;
}

const withoutPending = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([k]) => k !== 'PENDING'));
const mergeCounts = (a: Record<string, number>, b: Record<string, number>) => {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs work(0..n-1) with at most `width` in flight; rejects on the first failure. */
async function inParallel(n: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, lane));
}
