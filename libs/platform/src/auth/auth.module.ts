import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { DevTokensController } from './dev-tokens.controller';
import { TokenService } from './token-service';

export interface AuthOptions {
  secret: string;
  ttlSeconds: number;
  /** Serve POST /auth/dev-tokens. */
  devTokens: boolean;
}

/** Bearer tokens for every route (AuthGuard), and the demo's sign-in when enabled. */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      controllers: options.devTokens ? [DevTokensController] : [],
      providers: [{ provide: TokenService, useValue: new TokenService(options.secret, options.ttlSeconds) }, { provide: APP_GUARD, useClass: AuthGuard }],
      exports: [TokenService],
    };
  }
}

/** AUTH_DEV_TOKENS, or its default: on, except in production. */
export const devTokensOn = (env: { AUTH_DEV_TOKENS?: 'on' | 'off'; NODE_ENV: string }): boolean =>
  (env.AUTH_DEV_TOKENS ?? (env.NODE_ENV === 'production' ? 'off' : 'on')) === 'on';
