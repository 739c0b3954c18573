import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchConfig } from './config';
import { hopsSvg } from './hops-report';
import { markdown, svg } from './report';
import { BenchReport } from './types';

/** Full runs kept in bench/results (git keeps the rest in its history). */
export const KEEP_FULL_RUNS = 3;

// A full run's file: its ISO timestamp with ':' and '.' as '-', e.g. 2026-11-25T13-42-23-260Z.json
// (smoke runs are smoke-<ts>.json, ignored by git).
const FULL_RUN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.json$/;

/** The full-run files to delete so that the latest `keep` remain (names sort by time). */
export function fullRunsToPrune(names: readonly string[], keep = KEEP_FULL_RUNS): string[] {
  const runs = names.filter((n) => FULL_RUN.test(n)).sort();
  return runs.slice(0, Math.max(0, runs.length - keep));
}

/**
 * Writes <ts>.json, latest.md, latest.svg and latest-hops.svg (smoke-… for a smoke run) into the run's folder; a full
 * run written into bench/results itself prunes it to the latest KEEP_FULL_RUNS JSON files.
 * Returns the JSON file's path.
 */
export function writeResults(config: BenchConfig, report: BenchReport): string {
  const prefix = config.smoke ? 'smoke-' : '';
  mkdirSync(config.out, { recursive: true });
  const jsonPath = join(config.out, `${prefix}${config.ts}.json`);
  writeFileSync(jsonPath, JSON.stringify(report, null, 2));
  writeFileSync(join(config.out, `${prefix}latest.md`), markdown(report));
  writeFileSync(join(config.out, `${prefix}latest.svg`), svg(report));
  writeFileSync(join(config.out, `${prefix}latest-hops.svg`), hopsSvg(report));
  if (!config.smoke && config.defaultOut) {
    for (const name of fullRunsToPrune(readdirSync(config.out))) rmSync(join(config.out, name));
  }
  return jsonPath;
}
