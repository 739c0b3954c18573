import { z } from 'zod';
import { ConfigError } from './config-error';
import { APP_NAMES, AppName, appEnvSchemas, authEnv, portVariable } from './env.schema';

/** The services the console reads: every app (its /api/<name>/… forwards to each one's public API). */
export const SERVICES = APP_NAMES;
export type ServiceName = AppName;

/** An app's own default port (ORDER_PORT's default for order, …), where the console looks by default. */
const defaultPort = (app: AppName): number =>
  z.number().parse((appEnvSchemas[app].shape as Record<string, z.ZodType>)[portVariable(app)].parse(undefined));
const baseUrl = (service: ServiceName) =>
  z
    .url({ protocol: /^https?$/ })
    .default(`http://127.0.0.1:${defaultPort(service)}`)
    .transform((s) => s.replace(/\/+$/, ''));

/**
 * The console's settings. It has no database and no Kafka client of its own: it serves the page and
 * forwards the page's calls to the services' public HTTP APIs (ORDER_URL, …; in Docker the
 * services' names).
 */
export const ConsoleEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  CONSOLE_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ORDER_URL: baseUrl('order'),
  STOCK_URL: baseUrl('stock'),
  PAYMENT_URL: baseUrl('payment'),
  SHIPMENT_URL: baseUrl('shipment'),
  NOTIFICATION_URL: baseUrl('notification'),
  COUPON_URL: baseUrl('coupon'),
  // verifies the callers' tokens (an operator starts a race) with the apps' key
  AUTH_JWT_SECRET: authEnv.shape.AUTH_JWT_SECRET,
  AUTH_TOKEN_TTL_S: authEnv.shape.AUTH_TOKEN_TTL_S,
});
export type ConsoleEnv = z.output<typeof ConsoleEnv>;

export function loadConsoleEnv(source: NodeJS.ProcessEnv = process.env): ConsoleEnv {
  const relevant = Object.fromEntries(Object.keys(ConsoleEnv.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const parsed = ConsoleEnv.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration for console:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Base URL of each service, from the env. */
export const serviceUrls = (env: ConsoleEnv): Record<ServiceName, string> => ({
  order: env.ORDER_URL,
  stock: env.STOCK_URL,
  payment: env.PAYMENT_URL,
  shipment: env.SHIPMENT_URL,
  notification: env.NOTIFICATION_URL,
  coupon: env.COUPON_URL,
});
