// The database `npm start`, `npm test` and `npm run bench` use: DATABASE_URL when it is set (nothing
// is started), else the project's own MariaDB (scripts/mariadb/start.sh: binaries from Maven Central,
// data in .local/mariadb, port MARIADB_PORT, default 3307) — the same rule as KAFKA_BROKERS.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const DEFAULT_PORT = 3307;

/** The URL of a database on the project's own server (apps default to `commerce` on it too). */
function localDatabaseUrl(database = 'commerce', env = process.env) {
  return `mysql://root@127.0.0.1:${Number(env.MARIADB_PORT) || DEFAULT_PORT}/${database}`;
}

/** DATABASE_URL if set; else starts the project's server (idempotent) and returns its URL. Exits on failure. */
function ensureDatabase(env = process.env) {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, local: false };
  const r = spawnSync('bash', [join(root, 'scripts/mariadb/start.sh')], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(
      r.status === 2
        ? '[database] no embedded MariaDB on this platform: set DATABASE_URL (see README, Quick start)'
        : "[database] the project's MariaDB did not start (see the messages above); or set DATABASE_URL to your own server",
    );
    process.exit(1);
  }
  return { url: localDatabaseUrl('commerce', env), local: true };
}

module.exports = { ensureDatabase, localDatabaseUrl, DEFAULT_PORT };
