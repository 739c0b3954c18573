import 'reflect-metadata';
import { ConsoleLogger, DynamicModule, LogLevel, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppEnv, AppName, appPort, ConfigError, loadEnv } from '@app/config';
import { KafkaEventServer, KafkaRuntime } from '@app/kafka';
import { PlatformModule } from './platform.module';
import { instrumentHttp } from './metrics';
import { serveOpenApi } from './openapi';

export interface RunOptions {
  /** Env to read instead of process.env (tests). */
  env?: NodeJS.ProcessEnv;
  /** Listen on this port instead of <APP>_PORT (tests use 0). */
  port?: number;
  /** Start with or without the Kafka consumer (default: KAFKA_CONSUMERS). */
  consume?: boolean;
  logger?: false;
}

export interface RunningApp<A extends AppName = AppName> {
  name: A;
  app: NestFastifyApplication;
  env: AppEnv<A>;
  url: string;
  /** Graceful: stop fetching, finish in-flight messages, flush the outbox, close HTTP, disconnect. */
  close(): Promise<void>;
}

const LEVELS: Record<string, LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/** Starts one app as a hybrid Nest application: Fastify HTTP + the Kafka consumer transport. */
export async function runApp<A extends AppName>(
  name: A,
  feature: Type | DynamicModule,
  options: RunOptions = {},
): Promise<RunningApp<A>> {
  const env = loadEnv(name, options.env ?? process.env);
  @Module({ imports: [PlatformModule.forRoot(name, env), feature] })
  class RootModule {}

  const logger =
    options.logger === false
      ? false
      : new ConsoleLogger({ json: (env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'text')) === 'json', prefix: name, logLevels: LEVELS[env.LOG_LEVEL], colors: false });
  const app = await NestFactory.create<NestFastifyApplication>(
    RootModule,
    new FastifyAdapter({ bodyLimit: 64 * 1024 }),
    { logger, abortOnError: false },
  );
  instrumentHttp(app.getHttpAdapter().getInstance(), name);
  serveOpenApi(app, `${name} service`);

  let server: KafkaEventServer | undefined;
  if (options.consume ?? env.KAFKA_CONSUMERS === 'on') {
    server = app.get(KafkaRuntime).createServer();
    app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  }
  await app.init();
  await app.startAllMicroservices();
  await app.listen({ port: options.port ?? appPort(name, env), host: env.HOST });

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

/** Entry point of an app's main.ts: start, stop cleanly on SIGINT/SIGTERM, exit 1 with a clear message on bad config. */
export function main<A extends AppName>(name: A, feature: Type | DynamicModule): void {
  runApp(name, feature).then(
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
