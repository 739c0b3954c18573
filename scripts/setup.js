#!/usr/bin/env node
// Prepares a fresh clone for `npm start` / `npm test` / `npm run bench`, doing only what is missing:
// installs npm packages, generates the Prisma client (offline), builds, starts the local Kafka broker
// (unless KAFKA_BROKERS is set), creates and migrates the database. Node built-ins only until
// node_modules exists.
const { execSync, spawnSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const log = (m) => console.log(`[setup] ${m}`);
const run = (cmd, extraEnv = {}) =>
  execSync(cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
// `prisma generate` never runs the schema engine; pointing at any executable keeps the CLI offline.
const PRISMA_ENV = { PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || '/bin/true' };

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'generated' || entry.name === 'node_modules') continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function install() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs) return;
  log('installing npm packages (npm ci)');
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8', env: process.env });
  if (ci.status !== 0) {
    // Some npm 11 set-ups write lock files without the other platforms' optional packages
    // (@swc/core-darwin-*…) and then refuse them in `npm ci`; `npm install` from the same lock
    // installs the same versions.
    const why = (ci.stderr || '').split('\n').find((l) => /npm error (Missing|code)/.test(l)) ?? 'see npm ci';
    log(`npm ci refused (${why.replace('npm error ', '')}); installing the locked versions with npm install --no-save`);
    run('npm install --no-save --no-audit --no-fund');
  }
}

function generate() {
  const client = join(root, 'libs/database/src/generated/prisma/client.ts');
  if (existsSync(client) && statSync(client).mtimeMs >= statSync(join(root, 'prisma/schema.prisma')).mtimeMs) return;
  log('generating the Prisma client');
  run('npx prisma generate', PRISMA_ENV);
}

function build() {
  const out = join(root, 'dist/apps/order/src/main.js');
  const sources = Math.max(newestMtime(join(root, 'apps')), newestMtime(join(root, 'libs')));
  if (existsSync(out) && statSync(out).mtimeMs >= sources) return;
  log('building (tsc)');
  run('npx tsc -p tsconfig.build.json && npx tsc-alias -p tsconfig.build.json');
}

function kafka() {
  if (process.env.KAFKA_BROKERS) return log(`using Kafka at ${process.env.KAFKA_BROKERS}`);
  run('bash scripts/kafka/start.sh');
}

function database() {
  const r = spawnSync('node', ['dist/libs/database/src/migrate/cli.js'], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error('[setup] could not migrate the database: is MySQL/MariaDB running at DATABASE_URL (default mysql://root@127.0.0.1:3306/commerce)?');
    process.exit(1);
  }
}

const steps = { install, generate, build, kafka, database };
const wanted = process.argv.slice(2);
for (const [name, step] of Object.entries(steps)) if (wanted.length === 0 || wanted.includes(name)) step();
