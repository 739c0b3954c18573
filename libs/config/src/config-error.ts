/** A setting is missing, malformed or unknown: the process refuses to start and says which. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
