#!/usr/bin/env node
// `npm test`: install/generate what is missing, then jest runs the unit and e2e projects.
// The e2e globalSetup finds Kafka and MySQL (env, testcontainers, or the local broker + MySQL).
// Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { ensureRuntime } = require('./runtime');

if (!ensureRuntime({ install: true })) return; // runs again on the project's Node 24
const root = join(__dirname, '..');
execFileSync(process.execPath, [join(__dirname, 'setup.js'), 'install', 'generate'], { stdio: 'inherit' });
mkdirSync(join(root, '.local'), { recursive: true });
const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/jest/bin/jest.js'),
    // Driver pools of the deliberately unreachable database (the /health 503 test) retry for a while
    // after close; don't let that hold the run open.
    '--forceExit',
    '--json',
    `--outputFile=${join(root, '.local/jest-results.json')}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' } },
);
execFileSync(process.execPath, [join(__dirname, 'test-summary.js')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
