import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { faultInfra } from './stack';

type Figure = number | string | undefined | (number | undefined)[];

const show = (v: Figure): string => {
  if (Array.isArray(v)) return `[${v.map(show).join(' ')}]`;
  if (v === undefined) return 'none';
  return String(v);
};

/** Milliseconds as seconds with one decimal ('>N s' style values pass through). */
export const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.round(ms / 100) / 10);

/**
 * One line per scenario with what it saw (in flight at the fault, recovery, dead letters, lost…),
 * printed and appended to .local/faults/<run>/summary.jsonl for the README's reliability table.
 */
export function summarize(scenario: string, figures: Record<string, Figure>): void {
  const { run } = faultInfra();
  console.log(`[fault] ${scenario}: ${Object.entries(figures).map(([k, v]) => `${k}=${show(v)}`).join(', ')}`);
  appendFileSync(join(run.dir, 'summary.jsonl'), `${JSON.stringify({ scenario, run: run.runId, at: new Date().toISOString(), ...figures })}\n`);
}
