import { appEnvSchemas, AppEnv, AppName, portVariable } from './env.schema';
import { ConsoleEnv } from './console-env';
import { ConfigError } from './config-error';

export { ConfigError } from './config-error';

// Names that look like ours: a misspelled one must not be silently ignored.
const OUR_PREFIXES = /^(KAFKA|DATABASE|OUTBOX|ORDER|STOCK|PAYMENT|SHIPMENT|NOTIFICATION|COUPON)_/;
// docker compose's host ports (ORDER_HOST_PORT, KAFKA_HOST_PORT, …): read by compose, never by an
// app, and often exported in the same shell that runs `npm start`.
const COMPOSE_VARIABLE = /_HOST_PORT$/;

function knownVariables(): Set<string> {
  const names = new Set<string>();
  for (const schema of Object.values(appEnvSchemas)) Object.keys(schema.shape).forEach((k) => names.add(k));
  // the console's (ORDER_URL, …): set beside the apps in one environment, they are not misspellings
  Object.keys(ConsoleEnv.shape).forEach((k) => names.add(k));
  return names;
}

/**
 * Reads and validates an app's settings. Throws a ConfigError listing every bad or unknown
 * variable, so a bad value fails start-up loudly instead of silently not applying.
 */
export function loadEnv<A extends AppName>(app: A, source: NodeJS.ProcessEnv = process.env): AppEnv<A> {
  const schema = appEnvSchemas[app];
  const known = knownVariables();
  const problems: string[] = [];
  for (const name of Object.keys(source)) {
    if (OUR_PREFIXES.test(name) && !known.has(name) && !COMPOSE_VARIABLE.test(name)) problems.push(`${name}: unknown setting (misspelled?)`);
  }
  const relevant: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source[key];
    relevant[key] = value === '' ? undefined : value;
  }
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${String(issue.path[0])}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(`invalid configuration for ${app}:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed.data as AppEnv<A>;
}

/** The HTTP port of an app from its validated env. */
export function appPort<A extends AppName>(app: A, env: AppEnv<A>): number {
  return (env as Record<string, unknown>)[portVariable(app)] as number;
}

