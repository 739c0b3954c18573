// The concurrency experiment, one command: against a running stack (`npm start`), create a
// vendor, a coupon and N users, fire N claims at once (sync, kafka or both), wait until every
// claim is terminal, then print the coupon invariants (apps/coupon/kit/invariants) with PASS/FAIL.
// The race itself is apps/coupon/kit/race, which the console's race view runs too.
// It does not know the stack's signing key: it acts as an operator with --token /
// COUPON_OPERATOR_TOKEN, else with a token from the coupon app's POST /auth/dev-tokens (served
// unless AUTH_DEV_TOKENS=off or NODE_ENV=production); the race signs its users in the same way.
// Started by scripts/coupon-experiment.js (`npm run experiment:coupon -- --help` for the flags).
//
// Run it several times, with two coupon instances, with COUPON_CONSUMER_CONCURRENCY=1 or 6:
// the numbers change, the check must not.
import { CouponClient, DevTokensOffError, RacePath, RaceSnapshot, runRace } from '../../apps/coupon/kit/race';
import { ExperimentOptions, parseOptions, USAGE } from './options';

const RACE_PATH: Record<ExperimentOptions['mode'], RacePath> = { sync: 'sync', kafka: 'queued', both: 'mixed' };

/**
 * Runs the experiment (the race of apps/coupon/kit/race, which the console runs too); resolves
 * to the exit code (0: every check passed, 1: one failed, 2: cannot run).
 */
export async function experiment({ base, users, total, mode, token }: ExperimentOptions): Promise<number> {
  const api = new CouponClient(base);
  try {
    await api.must('GET', '/health');
  } catch (error) {
    console.error(
      `coupon app not reachable at ${base} (${error instanceof Error ? error.message : String(error)}); start the stack with \`npm start\``,
    );
    return 2;
  }
  const operatorToken = token ?? (await devOperatorToken(api));
  if (!operatorToken) return 2;
  const coupon = await api.as(operatorToken).createCoupon({ total, value: 1000, type: 'EXPERIMENT' });
  console.log(`coupon ${coupon.id} (cap ${total}, payout 1000) for vendor ${coupon.vendorId}; ${users} users; mode ${mode}`);
  let claiming = false;
  const result = await runRace({ base, couponId: coupon.id, users, path: RACE_PATH[mode], operatorToken }, (s) => {
    if (s.phase === 'settling' && !claiming) {
      claiming = true;
      console.log(`all ${users} answered in ${s.elapsedMs} ms:`, answers(s));
    }
  });
  if (result.phase === 'failed') {
    console.error(`experiment failed: ${result.error}`);
    return 1;
  }
  console.log(`all claims terminal after ${result.elapsedMs} ms`);
  for (const [path, stats] of Object.entries(result.paths)) {
    const l = stats.latencyMs;
    console.log(`${path.padEnd(6)} ${JSON.stringify(stats.outcomes)}  answer p50 ${l.p50} / p99 ${l.p99} / max ${l.max} ms`);
  }
  const checks = result.checks ?? [];
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name.padEnd(42)} ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(failed === 0 ? 'PASS: the cap held' : `FAIL: ${failed} check(s) failed`);
  return failed === 0 ? 0 : 1;
}

/** An operator's token (subject `experiment`) from POST /auth/dev-tokens; undefined, said why, when the app serves none. */
async function devOperatorToken(api: CouponClient): Promise<string | undefined> {
  try {
    return (await api.devTokens(['experiment'], 'operator'))[0];
  } catch (error) {
    if (!(error instanceof DevTokensOffError)) throw error;
    console.error(
      `${error.message}.\nThe experiment needs an operator's token: pass one with --token <token> or COUPON_OPERATOR_TOKEN ` +
        '(e.g. `npm run -s token -- --sub experiment --role operator` on the machine that holds the key). ' +
        'Its users sign in through POST /auth/dev-tokens too, so the race needs AUTH_DEV_TOKENS=on.',
    );
    return undefined;
  }
}

/** Answers by path and outcome, as they came back (queued: accepted as PENDING). */
const answers = (s: RaceSnapshot) => Object.fromEntries(Object.entries(s.paths).map(([p, stats]) => [p, stats.outcomes]));

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
