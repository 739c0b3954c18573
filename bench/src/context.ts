import { join } from 'node:path';
import { AppEnv } from '@app/config';
import { BenchTokens } from './auth';
import { BenchConfig, Counts } from './config';
import { Db } from './db';
import { Processes } from './processes';
import { log } from './util';

/** What every scenario works with: the run's settings, its servers, its database, its failures. */
export interface Bench {
  config: BenchConfig;
  counts: Counts;
  procs: Processes;
  db: Db;
  /** Invariant violations and unexpected exits; any entry fails the run. */
  failures: string[];
  /** The seeded users, handed out in fresh slices. */
  users: UserPool;
  /** Bearer tokens signed with the apps' key: operator (set-up), buyer (orders, no-op), per user (claims). */
  tokens: BenchTokens;
  /** The coupon app's settings as it reads them from the bench's environment (batch size, pool). */
  couponEnv: AppEnv<'coupon'>;
}

/** Some users of the pool with their bearer tokens: tokens[i] is ids[i]'s. */
export interface SignedInUsers {
  ids: number[];
  tokens: string[];
}

/**
 * Seeded user ids and their tokens (signed before anything is measured), handed out in fresh
 * slices (wrapping: a user may hold several coupons).
 */
export class UserPool {
  private ids: number[] = [];
  private tokens: string[] = [];
  private cursor = 0;

  set(ids: number[], tokens: string[]): void {
    if (tokens.length !== ids.length) throw new Error('one token per user');
    this.ids = ids;
    this.tokens = tokens;
    this.cursor = 0;
  }

  /** n users for one coupon: distinct as long as n <= the users seeded. */
  take(n: number): number[] {
    return this.takeSignedIn(n).ids;
  }

  /** Like take(), with each user's token, for the HTTP claims. */
  takeSignedIn(n: number): SignedInUsers {
    if (this.ids.length === 0) throw new Error('no users seeded');
    const out: SignedInUsers = { ids: [], tokens: [] };
    for (let k = 0; k < n; k++) {
      const i = (this.cursor + k) % this.ids.length;
      out.ids.push(this.ids[i]);
      out.tokens.push(this.tokens[i]);
    }
    this.cursor = (this.cursor + n) % this.ids.length;
    return out;
  }

  at(i: number): number {
    return this.ids[i % this.ids.length];
  }
}

/** Runs a scenario `reps` times (the summary takes the median). */
export async function runReps<R>(
  bench: Bench,
  name: string,
  run: (rep: number) => Promise<R>,
  reps = bench.counts.reps,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < reps; i++) {
    log(`${name} #${i + 1}/${reps}`);
    out.push(await run(i));
  }
  return out;
}

/** node flags that make an app write a CPU profile into <out>/profiles (--profile). */
export const profileArgs = (config: BenchConfig): string[] =>
  config.profile ? ['--cpu-prof', '--cpu-prof-dir', join(config.out, 'profiles')] : [];
