export * from './domain-error';
export * from './http-error.filter';
export * from './zod-validation.pipe';
export * from './app-env.token';
export * from './platform.module';
export * from './bootstrap';
export * from './metrics';
