// The key that signs and verifies bearer tokens (AUTH_JWT_SECRET), for `npm start` and
// `npm run token`: the environment's when set, otherwise a random one the first run writes to
// .local/auth-secret (mode 600) and every later run reads, so tokens stay valid across restarts.
// Node built-ins only.
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const FILE = join(__dirname, '..', '.local', 'auth-secret');

function authSecret() {
  if (process.env.AUTH_JWT_SECRET) return process.env.AUTH_JWT_SECRET;
  if (existsSync(FILE)) return readFileSync(FILE, 'utf8').trim();
  mkdirSync(join(FILE, '..'), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(FILE, `${secret}\n`, { mode: 0o600 });
  return secret;
}

module.exports = { authSecret };
