#!/usr/bin/env node
// `npm run bench` / `npm run bench:smoke`: the launcher. The bench itself is TypeScript under
// bench/src (main.ts; compiled by the build into dist/bench/src). This runs it on the project's
// Node 24, after the set-up the apps need (packages, build, Kafka broker), unless --no-setup.
//
//   npm run bench                 full run (scaled to finish in <= 10 min on a 2-core machine)
//   npm run bench:smoke           tiny counts, ~1 min; used by bench/bench.e2e-spec.ts
//   node bench/run.js [--smoke] [--reps N] [--set count=N,...] [--out DIR] [--port BASE] [--no-setup] [--keep-db] [--profile]
//   [--only coupon|saga|flood]
//   (--profile: the apps run with --cpu-prof; the .cpuprofile files land in <out>/profiles)
//   (--only: run one half while iterating; the other half's targets show as not measured)
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { ensureRuntime } = require('../scripts/runtime');

if (!ensureRuntime({ install: true })) return; // runs again on the project's Node 24

const root = join(__dirname, '..');
const argv = process.argv.slice(2);
if (!argv.includes('--no-setup')) {
  // The bench creates and migrates its own database (main.ts), so set-up's database step is not needed.
  const r = spawnSync(process.execPath, [join(root, 'scripts/setup.js'), 'install', 'generate', 'build', 'kafka'], {
    cwd: root,
    stdio: argv.includes('--smoke') ? 'ignore' : 'inherit',
  });
  if (r.status !== 0) {
    console.error(`[bench] set-up failed (exit ${r.status ?? r.signal}); run \`node scripts/setup.js\` to see why`);
    process.exit(1);
  }
}
require('../dist/bench/src/main.js').main(root, argv);
