#!/usr/bin/env node
// `npm run experiment:coupon -- [--users 1000] [--mode sync|kafka|both] [--total 100] [--url http://127.0.0.1:3006] [--token <operator token>]`
// (without --token or COUPON_OPERATOR_TOKEN it signs in as an operator through POST /auth/dev-tokens)
// The launcher: the experiment is TypeScript (scripts/coupon-experiment/main.ts, compiled by the
// build into dist/scripts/coupon-experiment). Runs on the project's Node 24; builds first when the
// sources are newer than the build (scripts/setup.js build), then runs it against a running stack.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

if (!require('./runtime').ensureRuntime()) return; // runs again on the project's Node 24

const build = spawnSync(process.execPath, [join(__dirname, 'setup.js'), 'build'], {
  cwd: join(__dirname, '..'),
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
require('../dist/scripts/coupon-experiment/main.js').main(process.argv.slice(2));
