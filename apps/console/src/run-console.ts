import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConsoleEnv } from '@app/config';
import { LOG_LEVELS } from '@app/platform/log-levels';
import { serveOpenApi } from '@app/platform/openapi';
import { ConsoleModule } from './console.module';

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Starts the console's HTTP server and its /docs (tests pass port 0 and the directory of a compiled script). */
export async function runConsole(
  env: ConsoleEnv,
  options: { port?: number; webDir?: string; logger?: false } = {},
): Promise<RunningConsole> {
  const logger = options.logger === false ? false : new ConsoleLogger({ prefix: 'console', logLevels: LOG_LEVELS[env.LOG_LEVEL], colors: false });
  const app = await NestFactory.create<NestFastifyApplication>(ConsoleModule.forRoot(env, options.webDir), new FastifyAdapter({ bodyLimit: 64 * 1024 }), {
    logger,
    abortOnError: false,
  });
  serveOpenApi(app, 'console');
  await app.listen({ port: options.port ?? env.CONSOLE_PORT, host: env.HOST });
  return { url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() };
}
