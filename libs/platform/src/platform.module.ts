import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AppEnv, AppName } from '@app/config';
import { DatabaseModule } from '@app/database';
import { KafkaModule } from '@app/kafka';
import { APP_ENV } from './app-env.token';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ConsumerProbe } from './consumer-probe';
import { MetricsController } from './metrics';
import { HttpErrorFilter } from './http-error.filter';
import { SchemaValidationPipe } from './schema-validation.pipe';
import { AuthModule, devTokensOn } from './auth/auth.module';

/**
 * What an app may tune of its Kafka set-up beyond the common env: the partitions of the claim topic
 * it creates, and how many partitions one instance consumes at once (default
 * KAFKA_CONSUMER_CONCURRENCY). Each app passes its own (apps/coupon/src/coupon.setup.ts); this lib
 * names no app.
 */
export interface KafkaTuning {
  claimPartitions?: number;
  concurrency?: number;
}

/** Partitions of the claim-request topic when the app that creates it does not say. */
const DEFAULT_CLAIM_PARTITIONS = 6;

/** What every app has: validated env, database, Kafka, /health, /metrics, the error filter, schema validation. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot<A extends AppName>(app: A, env: AppEnv<A>, kafka: KafkaTuning = {}): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        AuthModule.forRoot({ secret: env.AUTH_JWT_SECRET, ttlSeconds: env.AUTH_TOKEN_TTL_S, devTokens: devTokensOn(env) }),
        DatabaseModule.forRoot({
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          service: app,
          inboxRetentionDays: env.INBOX_RETENTION_DAYS,
        }),
        KafkaModule.forRoot({
          service: app,
          brokers: env.KAFKA_BROKERS,
          topicPrefix: env.KAFKA_TOPIC_PREFIX,
          groupId: `${app}-service${env.KAFKA_GROUP_SUFFIX}`,
          layout: { claimPartitions: kafka.claimPartitions ?? DEFAULT_CLAIM_PARTITIONS },
          concurrency: kafka.concurrency ?? env.KAFKA_CONSUMER_CONCURRENCY,
          maxRetries: env.KAFKA_MAX_RETRIES,
          retryBackoffMs: env.KAFKA_RETRY_BACKOFF_MS,
          outboxBatchSize: env.OUTBOX_BATCH_SIZE,
          outboxPollMs: env.OUTBOX_POLL_MS,
          sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
          heartbeatIntervalMs: env.KAFKA_HEARTBEAT_INTERVAL_MS,
          sendTimeoutMs: env.KAFKA_SEND_TIMEOUT_MS,
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_ENV, useValue: env },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useClass: SchemaValidationPipe },
        HealthService,
        ConsumerProbe,
      ],
      exports: [APP_ENV, ConsumerProbe],
    };
  }
}
