import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ConsoleEnv } from '@app/config';
import { HttpErrorFilter } from '@app/platform/http-error.filter';
import { SchemaValidationPipe } from '@app/platform/schema-validation.pipe';
import { AuthModule } from '@app/platform/auth/auth.module';
import { ConsoleController } from './console.controller';
import { CONSOLE_PAGE, consolePage } from './page';
import { Upstreams } from './upstreams';
import { Races } from './races';
import { RacesController } from './races.controller';

/** The console: the page and the forwarding to the services' APIs. No database, no Kafka. */
@Module({})
export class ConsoleModule {
  static forRoot(env: ConsoleEnv, webDir?: string): DynamicModule {
    return {
      module: ConsoleModule,
      // the console verifies tokens with the apps' key (AUTH_JWT_SECRET) and issues none
      imports: [AuthModule.forRoot({ secret: env.AUTH_JWT_SECRET, ttlSeconds: env.AUTH_TOKEN_TTL_S, devTokens: false })],
      controllers: [RacesController, ConsoleController],
      providers: [
        { provide: Upstreams, useValue: new Upstreams(env) },
        { provide: CONSOLE_PAGE, useValue: consolePage(webDir) },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useClass: SchemaValidationPipe },
        Races,
      ],
    };
  }
}
