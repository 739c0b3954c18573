import { join } from 'node:path';
import { AppEnv } from '@app/config';
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
  /** The coupon app's settings as it reads them from the bench's environment (batch size, pool). */
  couponEnv: AppEnv<'coupon'>;
}

/** Seeded user ids, handed out in fresh slices (wrapping: a user may hold several coupons). */
export class UserPool {
  private ids: number[] = [];
  private cursor = 0;

  set(ids: number[]): void {
    this.ids = ids;
    this.cursor = 0;
  }

  /** n users for one coupon: distinct as long as n <= the users seeded. */
  take(n: number): number[] {
    if (this.ids.length === 0) throw new Error('no users seeded');
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(this.ids[(this.cursor + k) % this.ids.length]);
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
