export * from './env.schema';
export * from './load-env';
