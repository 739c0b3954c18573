// The concurrency experiment, one command: against a running stack (`npm start`), create a
// vendor, a coupon and N users, fire N claims at once (sync, kafka or both), wait until every
// claim is terminal, then print the coupon invariants (@app/platform/invariants) with PASS/FAIL.
// Started by scripts/coupon-experiment.js (`npm run experiment:coupon -- --help` for the flags).
//
// Run it several times, with two coupon instances, with COUPON_CONSUMER_CONCURRENCY=1 or 6:
// the numbers change, the check must not.
import { checkCouponInvariants, CouponFacts } from '@app/platform/invariants';
import { claimPath, ExperimentOptions, parseOptions, USAGE } from './options';

interface Reply {
  status: number;
  body: { id?: number; code?: string; status?: string } | undefined;
}

/** The audit of GET /coupons/:id/audit (apps/coupon/src/coupons/dto/coupon.dto.ts, CouponAudit). */
type Audit = CouponFacts & { couponId: number };

class CouponApi {
  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown): Promise<Reply> {
    const res = await fetch(this.base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : undefined };
  }

  async must<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as T;
  }
}

async function inChunks<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size)
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
  return out;
}

/** Runs the experiment; resolves to the exit code (0: every check passed, 1: one failed, 2: cannot run). */
export async function experiment({ base, users, total, mode }: ExperimentOptions): Promise<number> {
  const api = new CouponApi(base);
  try {
    await api.must('GET', '/health');
  } catch (error) {
    console.error(
      `coupon app not reachable at ${base} (${error instanceof Error ? error.message : String(error)}); start the stack with \`npm start\``,
    );
    return 2;
  }
  const vendor = await api.must<{ id: number }>('POST', '/vendors/random');
  const coupon = await api.must<{ id: number }>('POST', '/coupons', {
    type: 'EXPERIMENT',
    value: 1000,
    total,
    vendorId: vendor.id,
  });
  const userIds = (await inChunks(users, 100, () => api.must<{ id: number }>('POST', '/users/random'))).map(
    (u) => u.id,
  );
  console.log(`coupon ${coupon.id} (cap ${total}, payout 1000) for vendor ${vendor.id}; ${users} users; mode ${mode}`);

  const started = Date.now();
  const answers = await Promise.all(
    userIds.map((userId, i) => api.call('POST', `/coupons/${coupon.id}/${claimPath(mode, i)}`, { userId })),
  );
  const byAnswer: Record<string, number> = {};
  for (const a of answers) {
    const k = `${a.status} ${a.body?.code ?? a.body?.status}`;
    byAnswer[k] = (byAnswer[k] ?? 0) + 1;
  }
  console.log(`all ${users} answered in ${Date.now() - started} ms:`, byAnswer);

  const deadline = Date.now() + 60_000;
  let audit: Audit;
  for (;;) {
    audit = await api.must<Audit>('GET', `/coupons/${coupon.id}/audit`);
    if (!audit.claims.PENDING || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`all claims terminal after ${Date.now() - started} ms`);
  console.log('claims by status:', audit.claims);
  // More claimants than coupons: the cap must be reached, not only held.
  const checks = checkCouponInvariants(audit, { capReached: users >= total });
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name.padEnd(42)} ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(failed === 0 ? 'PASS: the cap held' : `FAIL: ${failed} check(s) failed`);
  return failed === 0 ? 0 : 1;
}

/** Entry point of scripts/coupon-experiment.js. */
export function main(argv: readonly string[]): void {
  const options = parseOptions(argv, process.env);
  if (!options) {
    console.error(USAGE);
    process.exit(2);
  }
  experiment(options).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`experiment failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
