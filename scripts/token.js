#!/usr/bin/env node
// `npm run -s token -- --sub 12 [--role user|operator] [--ttl 3600]`: prints a bearer token signed
// with the stack's key (AUTH_JWT_SECRET, or the .local/auth-secret `npm start` made), for curl:
//   TOKEN=$(npm run -s token -- --sub 12)
//   curl -H "authorization: Bearer $TOKEN" …
// The same tokens POST /auth/dev-tokens issues; this one needs no running app, only the build.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { authSecret } = require('./auth-secret');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const subject = arg('sub');
const role = arg('role', 'user');
const ttl = Number(arg('ttl', '3600'));
if (!subject || !['user', 'operator'].includes(role) || !Number.isInteger(ttl) || ttl < 1) {
  console.error('usage: npm run -s token -- --sub <subject> [--role user|operator] [--ttl seconds]');
  process.exit(2);
}
const built = join(__dirname, '..', 'dist/libs/platform/src/auth/token-service.js');
if (!existsSync(built)) {
  console.error('token: the build is missing; run `npm run build` (or `npm start`) first');
  process.exit(1);
}
const { TokenService } = require(built);
console.log(new TokenService(authSecret(), ttl).sign({ subject, roles: [role] }).token);
