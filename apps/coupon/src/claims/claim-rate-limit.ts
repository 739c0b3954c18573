import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModule } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppEnv } from '@app/config';
import { APP_ENV, DomainError, Principal } from '@app/platform';

/** 429 RATE_LIMITED, with Retry-After (seconds). */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  readonly kind = 'RATE_LIMITED';
}

/** What the trackers read of a request: its address, and the principal AuthGuard put on it. */
type ClaimRequest = Pick<FastifyRequest, 'ip'> & { principal?: Principal };
const userOf = (req: Record<string, unknown>) => {
  const r = req as unknown as ClaimRequest;
  return `user:${r.principal?.subject ?? r.ip}`;
};
const addressOf = (req: Record<string, unknown>) => `ip:${(req as unknown as ClaimRequest).ip}`;

/**
 * The claim routes' limits, counted per instance over one-second windows, both routes together:
 * per user (the token's subject) COUPON_CLAIM_RATE_PER_USER, per client address
 * COUPON_CLAIM_RATE_PER_IP. A request over either is refused before it reaches the database or the
 * broker, so a flood costs its sender a 429 and everyone else little (README, Performance).
 */
export const ClaimRateLimits = ThrottlerModule.forRootAsync({
  inject: [APP_ENV],
  useFactory: (env: Pick<AppEnv<'coupon'>, 'COUPON_CLAIM_RATE_PER_USER' | 'COUPON_CLAIM_RATE_PER_IP'>) => ({
    // one count per user (and per address) for both claim routes, not one per route
    generateKey: (_context: ExecutionContext, tracker: string, throttler: string) => `${throttler}:${tracker}`,
    throttlers: [
      { name: 'user', ttl: 1000, limit: env.COUPON_CLAIM_RATE_PER_USER, getTracker: userOf },
      { name: 'address', ttl: 1000, limit: env.COUPON_CLAIM_RATE_PER_IP, getTracker: addressOf },
    ],
  }),
});

/** Applies ClaimRateLimits to a route (after AuthGuard, so the user is known); answers RATE_LIMITED. */
@Injectable()
export class ClaimRateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    // not awaited: a Fastify reply is thenable, and awaiting it waits for the answer this throw makes
    void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(seconds));
    const who = detail.tracker.startsWith('user:') ? 'this user' : 'this address';
    throw new RateLimitedError(`too many claims from ${who} (at most ${detail.limit} per second); retry after ${seconds} s`);
  }
}
