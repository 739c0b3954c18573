// The saga's per-hop report: a markdown table of every segment of an order's path, idle
// and at the fixed rates, with the raw four-hop chain beside it; and a stacked chart of the means
// (means add up, percentiles do not), latest-hops.svg.
import { Hop, HopKind, HopTrace, Spread } from './hops';
import { RawChainRun } from './raw-chain';
import { BenchReport } from './types';
import { esc, fmt } from './util';

const n = (x: number | undefined): string => fmt(x, 1);
const cell = (s: Spread | undefined): string => (s ? `${n(s.p50)} / ${n(s.p99)} / ${n(s.mean)}` : 'n/a');

/** The traced runs of a report: idle and one per fixed rate (the first repetition that has a trace). */
export function tracedRuns(r: BenchReport): { label: string; trace: HopTrace; raw?: RawChainRun }[] {
  const saga = r.scenarios.saga;
  if (!saga || saga.skipped !== undefined || !saga.idle) return [];
  const out: { label: string; trace: HopTrace; raw?: RawChainRun }[] = [
    { label: 'idle', trace: saga.idle.hops, raw: saga.rawChain?.idle },
  ];
  for (const [k, runs] of Object.entries(saga.fixedRate)) {
    const run = runs.find((x) => x.hops);
    if (run?.hops)
      out.push({ label: `${run.rate ?? '?'}/s (${k})`, trace: run.hops, raw: saga.rawChain?.fixedRate[k]?.[0] });
  }
  return out;
}

export function hopsMarkdown(r: BenchReport): string[] {
  const runs = tracedRuns(r);
  if (runs.length === 0) return [];
  const lines: string[] = [];
  lines.push("## Saga: where an order's time goes, hop by hop (ms: p50 / p99 / mean)");
  lines.push('');
  lines.push(
    "Marks read back after each run, for its completed orders: the rows' timestamps (each service stamps its row while building its INSERT), " +
      "each event's Kafka CreateTime (set when the outbox relay hands it to kafkajs), and each consumer's inbox row (`processed_event.processed_at`, " +
      'the first statement of its transaction). **delivery** = broker append, fetch, consumer wake-up, decode, batch merge, BEGIN; ' +
      "**apply** = the service's statements up to its own row; **commit + relay** = the rest of the transaction, the outbox insert, COMMIT and the relay's hand-off. " +
      'The raw chain (bench/src/raw-chain.ts) does per hop: consume, one transaction (multi-row INSERT, COMMIT), send acks=all — one process per hop, the source grouped like POST /orders.',
  );
  lines.push('');
  lines.push(`| segment | ${runs.map((x) => `${x.label} (${x.trace.orders} orders)`).join(' | ')} |`);
  lines.push(`|---|${runs.map(() => '---').join('|')}|`);
  const names = runs[0].trace.hops.map((h) => h.name);
  for (const name of names) {
    lines.push(
      `| ${name} | ${runs.map((x) => cell(x.trace.hops.find((h: Hop) => h.name === name)?.ms)).join(' | ')} |`,
    );
  }
  lines.push(`| **saga, order row -> COMPLETED** | ${runs.map((x) => `**${cell(x.trace.totalMs)}**`).join(' | ')} |`);
  for (let k = 0; k < 4; k++) {
    lines.push(`| raw chain hop ${k + 1} | ${runs.map((x) => cell(x.raw?.hopsMs[k])).join(' | ')} |`);
  }
  lines.push(
    `| **raw chain, source row -> hop 4** | ${runs.map((x) => `**${cell(x.raw?.endToEndMs)}**`).join(' | ')} |`,
  );
  lines.push('');
  return lines;
}

const COLOURS: Record<HopKind, string> = { delivery: '#1f77b4', apply: '#ff7f0e', commit: '#2ca02c' };

/** Stacked bars of the mean of each segment, one bar per traced run, the raw chain's mean below each. */
export function hopsSvg(r: BenchReport): string {
  const runs = tracedRuns(r);
  const W = 960;
  const left = 170;
  const plotW = W - left - 90;
  const barH = 24;
  const rowH = barH * 2 + 22;
  const top = 70;
  const H = top + Math.max(1, runs.length) * rowH + 60;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="Helvetica,Arial,sans-serif" font-size="12">`,
  );
  out.push('<rect width="100%" height="100%" fill="#fff"/>');
  out.push(
    `<text x="10" y="22" font-size="15" font-weight="bold">${esc(`Saga: mean ms per segment, stacked (= mean order row -> COMPLETED); raw 4-hop chain below — ${r.timestamp.slice(0, 10)}${r.mode === 'smoke' ? ' (smoke)' : ''}`)}</text>`,
  );
  let x0 = 10;
  for (const [kind, colour] of Object.entries(COLOURS)) {
    out.push(`<rect x="${x0}" y="36" width="12" height="12" fill="${colour}"/>`);
    out.push(`<text x="${x0 + 16}" y="46">${kind === 'commit' ? 'commit + relay' : kind}</text>`);
    x0 += 130;
  }
  out.push(
    `<rect x="${x0}" y="36" width="12" height="12" fill="#888"/><text x="${x0 + 16}" y="46">raw chain (4 hops)</text>`,
  );
  const totals = runs.flatMap((x) => [
    x.trace.hops.reduce((a, h) => a + (Number.isFinite(h.ms.mean) ? h.ms.mean : 0), 0),
    x.raw?.endToEndMs.mean ?? 0,
  ]);
  const max = Math.max(10, ...totals.filter(Number.isFinite));
  const w = (ms: number) => (ms / max) * plotW;
  runs.forEach((run, i) => {
    const y = top + i * rowH;
    out.push(`<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(`saga ${run.label}`)}</text>`);
    let x = left;
    for (const h of run.trace.hops) {
      if (!Number.isFinite(h.ms.mean) || h.ms.mean <= 0) continue;
      const width = w(h.ms.mean);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${barH}" fill="${COLOURS[h.kind]}" stroke="#fff"><title>${esc(`${h.name}: ${n(h.ms.mean)} ms mean`)}</title></rect>`,
      );
      if (width > 26)
        out.push(
          `<text x="${(x + width / 2).toFixed(1)}" y="${y + 16}" text-anchor="middle" fill="#fff" font-size="10">${n(h.ms.mean)}</text>`,
        );
      x += width;
    }
    out.push(
      `<text x="${(x + 6).toFixed(1)}" y="${y + 16}">${n(x === left ? NaN : ((x - left) / plotW) * max)} ms</text>`,
    );
    const raw = run.raw?.endToEndMs.mean;
    out.push(`<text x="${left - 8}" y="${y + barH + 16}" text-anchor="end" fill="#555">raw chain</text>`);
    if (raw !== undefined && Number.isFinite(raw)) {
      out.push(`<rect x="${left}" y="${y + barH + 4}" width="${w(raw).toFixed(1)}" height="${barH - 6}" fill="#888"/>`);
      out.push(`<text x="${(left + w(raw) + 6).toFixed(1)}" y="${y + barH + 16}" fill="#555">${n(raw)} ms</text>`);
    }
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
