import { AppEnv } from '@app/config';
import { KafkaTuning } from '@app/platform';

/** The coupon app's claim topic: its partitions, and how many of them one instance consumes at once. */
export const couponKafka = (env: AppEnv<'coupon'>): KafkaTuning => ({
  claimPartitions: env.COUPON_CLAIM_PARTITIONS,
  concurrency: env.COUPON_CONSUMER_CONCURRENCY,
});
