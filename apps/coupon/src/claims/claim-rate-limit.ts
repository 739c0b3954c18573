import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppEnv } from '@app/config';
import { authenticate, ErrorBody, TokenService } from '@app/platform';
import { CLAIM_ROUTES } from './claim-routes';
import { RateWindows } from './rate-windows';

export interface ClaimRateLimits {
  /** Claims one user (a token's subject) may send per second, both routes together. */
  perUser: number;
  /** Claims one client address may send per second, whoever's tokens it uses. */
  perAddress: number;
}

export type ClaimRefusal = { over: 'user' | 'address'; limit: number; retryAfterSeconds: number };

/**
 * The claim routes' limits, per instance, in one-second windows: a request is counted against its
 * client address first (before its token is looked at, so requests with made-up tokens are limited
 * too), then against its user when its token is valid.
 */
export class ClaimRateLimiter {
  private readonly windows: RateWindows;

  constructor(
    private readonly limits: ClaimRateLimits,
    now: () => number = Date.now,
  ) {
    this.windows = new RateWindows(1000, now);
  }

  /** Counts one claim; the refusal when it is over a limit, undefined when it may go on. */
  take(address: string, subject: string | undefined): ClaimRefusal | undefined {
    const byAddress = this.windows.hit(`ip:${address}`);
    if (byAddress.count > this.limits.perAddress) return refusal('address', this.limits.perAddress, byAddress.endsInMs);
    if (subject === undefined) return undefined; // AuthGuard answers 401
    const byUser = this.windows.hit(`user:${subject}`);
    if (byUser.count > this.limits.perUser) return refusal('user', this.limits.perUser, byUser.endsInMs);
    return undefined;
  }
}

const refusal = (over: ClaimRefusal['over'], limit: number, endsInMs: number): ClaimRefusal => ({
  over,
  limit,
  retryAfterSeconds: Math.max(1, Math.ceil(endsInMs / 1000)),
});

/** Refusals held at once at most; past it they are answered at once (memory stays bounded whatever the flood). */
export const MAX_HELD = 10_000;

/** Runs each answer `delayMs` later, or at once when the delay is 0 or `max` answers are already waiting. */
export class RefusalHold {
  private waiting = 0;

  constructor(
    private readonly delayMs: number,
    private readonly max = MAX_HELD,
  ) {}

  /** Answers waiting now. */
  get held(): number {
    return this.waiting;
  }

  answer(send: () => void): void {
    if (this.delayMs === 0 || this.waiting >= this.max) return send();
    this.waiting++;
    setTimeout(() => {
      this.waiting--;
      send();
    }, this.delayMs);
  }
}

/**
 * Applies ClaimRateLimiter to POST on the claim routes in a Fastify onRequest hook, before Nest's
 * pipeline (guards, pipes, interceptors), and answers 429 RATE_LIMITED with Retry-After from there:
 * a refusal costs a map lookup or two and a small JSON answer, not a request through Nest. The
 * token is verified once for the hook and AuthGuard together (`authenticate`).
 *
 * The 429 is answered COUPON_CLAIM_REFUSAL_DELAY_MS after the request arrived. A client that
 * retries as soon as it is answered (most floods: a retry loop, a script over a few connections)
 * then sends at most connections / delay claims per second instead of as many as the server can
 * refuse, and the other users' claims keep the event loop (README, Performance: a flood of claims
 * from one user). At most MAX_HELD refusals wait at once.
 */
export function limitClaimRate(fastify: FastifyInstance, app: NestFastifyApplication, env: AppEnv<'coupon'>): void {
  const tokens = app.get(TokenService);
  const limiter = new ClaimRateLimiter({ perUser: env.COUPON_CLAIM_RATE_PER_USER, perAddress: env.COUPON_CLAIM_RATE_PER_IP });
  const hold = new RefusalHold(env.COUPON_CLAIM_REFUSAL_DELAY_MS);
  const routes = new Set(CLAIM_ROUTES.map((route) => `/${route}`));
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'POST' || !routes.has(request.routeOptions.url ?? '')) return done();
    const refused = limiter.take(request.ip, authenticate(request, tokens).principal?.subject);
    if (!refused) return done();
    const who = refused.over === 'user' ? 'this user' : 'this address';
    const body: ErrorBody = {
      code: 'RATE_LIMITED',
      message: `too many claims from ${who} (at most ${refused.limit} per second); retry after ${refused.retryAfterSeconds} s`,
    };
    hold.answer(() => void reply.code(429).header('retry-after', String(refused.retryAfterSeconds)).send(body));
  });
}
