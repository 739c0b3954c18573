export * from './principal';
export * from './auth.errors';
export * from './auth.decorators';
export * from './auth.guard';
export * from './authenticate';
export * from './auth.module';
export * from './token-service';
export * from './dev-tokens.controller';
