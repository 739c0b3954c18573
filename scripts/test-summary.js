#!/usr/bin/env node
// Prints `tests: N passed, N failed` from jest's JSON results (.local/jest-results.json).
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const file = join(__dirname, '..', '.local', 'jest-results.json');
if (!existsSync(file)) {
  console.log('tests: 0 passed, 1 failed');
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
// A suite that failed to load has no test results: count it as a failure.
const brokenSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
const skipped = r.numPendingTests + r.numTodoTests;
console.log(
  `tests: ${r.numPassedTests} passed, ${r.numFailedTests + brokenSuites} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
