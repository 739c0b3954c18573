import 'reflect-metadata';
import { ConsoleLogger, DynamicModule, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppEnv, AppName, appPort, ConfigError, loadEnv } from '@app/config';
import { KafkaEventServer, KafkaRuntime } from '@app/kafka';
import { KafkaTuning, PlatformModule } from './platform.module';
import { ConsumerProbe } from './consumer-probe';
import { instrumentHttp } from './metrics';
import { serveOpenApi } from './openapi';
import { LOG_LEVELS } from './log-levels';

export interface RunOptions<A extends AppName = AppName> {
  /** The app's own Kafka tuning, read from its validated env (see KafkaTuning). */
  kafka?: (env: AppEnv<A>) => KafkaTuning;
  /** Adds the app's own Fastify hooks, which run before Nest's pipeline (e.g. the claim routes' rate limit). */
  http?: (fastify: FastifyInstance, app: NestFastifyApplication, env: AppEnv<A>) => void;
  /** Env to read instead of process.env (tests). */
  env?: NodeJS.ProcessEnv;
  /** Listen on this port instead of <APP>_PORT (tests use 0). */
  port?: number;
  /** Start with or without the Kafka consumer (default: KAFKA_CONSUMERS). */
  consume?: boolean;
  logger?: false;
  /**
   * Resolve only once Kafka is ready and the consumer has joined its group (default true, what
   * tests want). HTTP listens first either way; main() passes false, so a process answers /health
   * at once while the broker is down or a dead member's session runs out.
   */
  waitReady?: boolean;
}

export interface RunningApp<A extends AppName = AppName> {
  name: A;
  app: NestFastifyApplication;
  env: AppEnv<A>;
  url: string;
  /** Graceful: stop fetching, finish in-flight messages, flush the outbox, close HTTP, disconnect. */
  close(): Promise<void>;
}

/** What an app adds to the platform's start-up: its main.ts passes it to main(), the test harness to runApp(). */
export type AppSetup<A extends AppName> = Pick<RunOptions<A>, 'kafka' | 'http'>;

/** Starts one app as a hybrid Nest application: Fastify HTTP + the Kafka consumer transport. */
export async function runApp<A extends AppName>(
  name: A,
  feature: Type | DynamicModule,
  options: RunOptions<A> = {},
): Promise<RunningApp<A>> {
  const env = loadEnv(name, options.env ?? process.env);
  if (env.KAFKA_HEARTBEAT_INTERVAL_MS >= env.KAFKA_SESSION_TIMEOUT_MS) {
    throw new ConfigError(`invalid configuration for ${name}:\n  - KAFKA_HEARTBEAT_INTERVAL_MS: must be below KAFKA_SESSION_TIMEOUT_MS`);
  }
  @Module({ imports: [PlatformModule.forRoot(name, env, options.kafka?.(env)), feature] })
  class RootModule {}

  const logger =
    options.logger === false
      ? false
      : new ConsoleLogger({ json: (env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'text')) === 'json', prefix: name, logLevels: LOG_LEVELS[env.LOG_LEVEL], colors: false });
  const app = await NestFactory.create<NestFastifyApplication>(
    RootModule,
    new FastifyAdapter({ bodyLimit: 64 * 1024 }),
    { logger, abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  instrumentHttp(fastify, name);
  options.http?.(fastify, app, env);
  serveOpenApi(app, `${name} service`);

  const kafka = app.get(KafkaRuntime);
  let server: KafkaEventServer | undefined;
  if (options.consume ?? env.KAFKA_CONSUMERS === 'on') {
    server = kafka.createServer();
    app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
    app.get(ConsumerProbe).attach(server);
  }
  // KafkaRuntime connects and the transport joins its group in the background: HTTP listens first.
  await app.init();
  await app.listen({ port: options.port ?? appPort(name, env), host: env.HOST });
  try {
    // resolves at once: the transport connects, joins and retries on its own
    await app.startAllMicroservices();
    if (options.waitReady ?? true) await Promise.all([kafka.ready(), server?.joined()]);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    name,
    app,
    env,
    url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
    close: () =>
      (closing ??= (async () => {
        await server?.close();
        await app.close();
      })()),
  };
}

/**
 * Entry point of an app's main.ts: serve HTTP at once (Kafka and the consumer group come up in the
 * background, /health says when), stop cleanly on SIGINT/SIGTERM, exit 1 with a clear message on
 * bad config or a failed start of HTTP.
 */
export function main<A extends AppName>(name: A, feature: Type | DynamicModule, options: AppSetup<A> = {}): void {
  // A stray rejection inside a client library during an outage must not kill a process that
  // heals by itself: log it loudly and keep running.
  process.on('unhandledRejection', (reason) => console.error(`[${name}] unhandled rejection (process kept running):`, reason));
  runApp(name, feature, { ...options, waitReady: false }).then(
    (running) => {
      const stop = (signal: string) => {
        console.log(`[${name}] ${signal}: shutting down`);
        running.close().then(
          () => process.exit(0),
          (error) => {
            console.error(error);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error) => {
      if (error instanceof ConfigError) console.error(`[${name}] ${error.message}`);
      else console.error(`[${name}] failed to start:`, error);
      process.exit(1);
    },
  );
}
