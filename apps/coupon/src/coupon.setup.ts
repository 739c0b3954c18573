import { AppSetup } from '@app/platform';
import { limitClaimRate } from './claims/claim-rate-limit';

/**
 * What the coupon app adds to the platform's start-up: the claim topic's partitions and how many
 * of them one instance consumes at once, and the claim routes' rate limit (a Fastify hook).
 */
export const couponSetup: AppSetup<'coupon'> = {
  kafka: (env) => ({ claimPartitions: env.COUPON_CLAIM_PARTITIONS, concurrency: env.COUPON_CONSUMER_CONCURRENCY }),
  http: limitClaimRate,
};
