export type Mode = 'sync' | 'kafka' | 'both';

export interface ExperimentOptions {
  /** The coupon app, without a trailing slash. */
  base: string;
  /** Claimants: one claim each, all fired at once. */
  users: number;
  /** The coupon's cap. */
  total: number;
  mode: Mode;
  /**
   * An operator's bearer token (--token, else COUPON_OPERATOR_TOKEN); without one the experiment
   * asks the coupon app's POST /auth/dev-tokens for one.
   */
  token?: string;
}

export const USAGE = 'usage: npm run experiment:coupon -- [--users N] [--mode sync|kafka|both] [--total N] [--url URL] [--token OPERATOR_TOKEN]';

/** Reads `--name value` pairs; undefined when a value is not usable (the caller prints USAGE). */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ExperimentOptions | undefined {
  const args = new Map<string, string>();
  argv.forEach((a, i) => {
    if (a.startsWith('--') && argv[i + 1] !== undefined) args.set(a.slice(2), argv[i + 1]);
  });
  const users = Number(args.get('users') ?? 1000);
  const total = Number(args.get('total') ?? 100);
  const mode = args.get('mode') ?? 'both';
  if (mode !== 'sync' && mode !== 'kafka' && mode !== 'both') return undefined;
  if (!(users > 0) || !(total > 0)) return undefined;
  const base = (args.get('url') || env.COUPON_URL || `http://127.0.0.1:${env.COUPON_PORT || 3006}`).replace(/\/$/, '');
  const token = (args.get('token') || env.COUPON_OPERATOR_TOKEN || '').replace(/^Bearer\s+/i, '').trim();
  return { base, users, total, mode, ...(token ? { token } : {}) };
}
