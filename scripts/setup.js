#!/usr/bin/env node
// Prepares a fresh clone for `npm start` / `npm test` / `npm run bench`, doing only what is missing:
// installs npm packages, generates the Prisma client (offline), builds, starts the local Kafka broker
// (unless KAFKA_BROKERS is set) and the project's MariaDB (unless DATABASE_URL is set), creates and
// migrates the database. Node built-ins only until node_modules exists. `install` runs on any Node;
// the other steps on the project's Node 24 (scripts/runtime.js), which the install brings on Linux.
const { execSync, spawnSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { ensureRuntime, bundledNode, REQUIRED_MAJOR } = require('./runtime');
const { ensureDatabase } = require('./database');

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
  // The lock holds every platform's optional packages (test/lockfile.spec.ts checks it), so `npm ci`
  // needs no fallback; if it fails, say so and stop rather than install something else.
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env: process.env });
  if (ci.status !== 0 || !existsSync(marker)) {
    console.error(`[setup] npm ci failed (exit ${ci.status ?? ci.signal}); nothing else was installed. See npm's messages above.`);
    process.exit(1);
  }
  const bundled = bundledNode();
  if (Number(process.versions.node.split('.')[0]) < REQUIRED_MAJOR && bundled) {
    log(`npm ran on Node ${process.versions.node} (its EBADENGINE warnings are about that one); the project runs on ${bundled}`);
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
  // everything tsconfig.build.json compiles (bench/src: the bench; scripts/coupon-experiment: the
  // experiment), then the console's browser script (apps/console/web, its own tsconfig: DOM, no modules)
  const dirs = ['apps', 'libs', 'bench/src', 'scripts/coupon-experiment'].map((d) => join(root, d)).filter((d) => existsSync(d));
  const sources = Math.max(...dirs.map(newestMtime));
  if (existsSync(out) && statSync(out).mtimeMs >= sources) return;
  log('building (tsc)');
  run('npx tsc -p tsconfig.build.json && npx tsc-alias -p tsconfig.build.json && npx tsc -p apps/console/web/tsconfig.json');
}

function kafka() {
  if (process.env.KAFKA_BROKERS) return log(`using Kafka at ${process.env.KAFKA_BROKERS}`);
  run('bash scripts/kafka/start.sh');
}

function database() {
  const { url, local } = ensureDatabase();
  if (!local) log(`using the database at ${url.replace(/:[^:@/]*@/, ':***@')}`);
  const env = { ...process.env, DATABASE_URL: url };
  const r = spawnSync(process.execPath, ['dist/libs/database/src/migrate/cli.js'], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`[setup] could not migrate the database at ${url.replace(/:[^:@/]*@/, ':***@')}: is it running?`);
    process.exit(1);
  }
}

const steps = { install, generate, build, kafka, database };
const wanted = process.argv.slice(2);
const onlyInstall = wanted.length > 0 && wanted.every((w) => w === 'install');
if (!onlyInstall && !ensureRuntime({ install: true })) return; // runs again on the project's Node
for (const [name, step] of Object.entries(steps)) if (wanted.length === 0 || wanted.includes(name)) step();
