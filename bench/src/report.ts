import { hopsMarkdown } from './hops-report';
import { BenchReport, ClaimFloodRun, Latency } from './types';
import { esc, fmt } from './util';

export { fmt } from './util';

// A bench report rendered as a markdown summary (latest.md) and a hand-written SVG chart (latest.svg).

const L = (l: Latency | undefined): string =>
  l ? `${fmt(l.p50, 2)} / ${fmt(l.p95, 2)} / ${fmt(l.p99, 2)} / ${fmt(l.max, 1)}` : 'n/a';

export function markdown(r: BenchReport): string {
  const s = r.summary;
  const c = r.counts;
  const g = r.config.SYNC_GROUP_COMMIT;
  const lines: string[] = [];
  lines.push(`# Benchmark${r.mode === 'smoke' ? ' (smoke — tiny counts, not a measurement)' : ''} — ${r.timestamp}`);
  lines.push('');
  lines.push(
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel ?? 'unknown CPU'}, ${r.machine.memGiB} GiB, ${r.machine.platform}, Node ${r.machine.node}. ` +
      `Software: ${Object.entries(r.software)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}. ` +
      `Load: generated in the bench process (a separate process from the servers): closed-model runs with autocannon over ${c.conns} connections; ` +
      `fixed-rate runs open-model, evenly paced, latency from each request's due time; median of ${c.reps} repetition(s) ` +
      `(Kafka success path: ${c.kafkaReps} × ${fmt(c.success, 0)} claims). ` +
      `The coupon app runs as two processes of the same build: one answers HTTP (KAFKA_CONSUMERS=off), one consumes claims. ` +
      `DATABASE_POOL_SIZE=${r.config.DATABASE_POOL_SIZE}, ${r.config.COUPON_CLAIM_PARTITIONS} claim partitions, consumer concurrency ${r.config.COUPON_CONSUMER_CONCURRENCY}, ` +
      `COUPON_BATCH_SIZE=${r.config.COUPON_BATCH_SIZE}. ` +
      `Claim rate limits: COUPON_CLAIM_RATE_PER_USER=${fmt(r.config.COUPON_CLAIM_RATE_PER_USER, 0)}/s (the default; every claim above comes from a distinct user), ` +
      `COUPON_CLAIM_RATE_PER_IP raised to ${fmt(r.config.COUPON_CLAIM_RATE_PER_IP, 0)}/s: all of the bench's load comes from one address (127.0.0.1), ` +
      `so the scenarios measure the claim paths as before the limits, not the limit per address. ` +
      `Whole run ${fmt(r.durationSec)} s. Invariants: ${r.failures.length === 0 ? 'all held' : `**${r.failures.length} violation(s)**`}.`,
  );
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| target | measured | goal | result |');
  lines.push('|---|---|---|---|');
  for (const t of s.targets) {
    const measured = `${fmt(t.measured, 2)}${t.unit === 'x' ? 'x' : ` ${t.unit}`}`;
    lines.push(
      `| ${t.name} | ${measured} | ${t.target} | ${t.pass === null ? 'not measured' : t.pass ? 'pass' : 'miss'} |`,
    );
  }
  lines.push('');
  lines.push('## Limits (what the ratios divide by)');
  lines.push('');
  lines.push(
    'Each limit does the work of the path it bounds, built the same way, without what the path adds on top (HTTP, Nest, Prisma, Kafka):',
  );
  lines.push('');
  lines.push(
    `- **Accept / no-op endpoint**: the same Nest/Fastify stack (bench/noop-app.js: same bootstrap, filter, metrics hook, body parsing, bearer-token check) with a route that does nothing, ` +
      `same load (${c.conns} connections, a token on every request as on the claims).`,
  );
  lines.push(
    `- **Sync / raw grouped guarded claims**: the sync path's transaction in raw mysql2, statement for statement — lock the coupon row (\`SELECT … FOR UPDATE\`), ` +
      `read which users exist and which already hold it, decide in memory (the app's decideBatch), then one multi-row insert of the ISSUED claims, one of the holder rows, ` +
      `the guarded \`UPDATE coupon_coupon SET issued = issued + n WHERE … AND issued + n <= total\`, the vendor credit, one multi-row outbox insert — ` +
      `grouped by the app's GroupCommit with the app's rule (what queued while a commit ran goes together, up to ${g.maxBatch}; ${g.maxInFlight} transactions in flight), ` +
      `driven like the sync success path (${fmt(c.syncSuccess, 0)} claims from ${c.conns} concurrent clients, each sending its next claim when answered). ` +
      `Claims per transaction: ${fmt(s.rawGroupedClaimsPerTransaction)} here, ${fmt(s.syncClaimsPerTransaction)} on the sync path (distinct updated_at of its claims).`,
  );
  lines.push(
    `- **Drain / raw batched apply**: the consumer's set-based apply in raw mysql2 — lock the coupon row, lock the batch's PENDING claim rows, read users and holders, ` +
      `decide (decideBatch), then holder rows, the guarded counter, the vendor credit, \`UPDATE coupon_claim SET status = 'ISSUED'\`, the rejected ones per reason, ` +
      `one multi-row outbox insert — ${r.config.COUPON_BATCH_SIZE} claims per transaction, one transaction at a time (one coupon is one partition), ` +
      `on a backlog of ${fmt(c.drain, 0)} PENDING claims, issued/s measured like the drain (first to last updated_at). ` +
      `Claims per transaction: ${fmt(s.rawApplyClaimsPerTransaction)} here, ${fmt(s.kafkaDrainClaimsPerTransaction)} in the drain.`,
  );
  lines.push(
    `- **Saga / raw 4-hop chain**: the saga's ingredients and nothing else (bench/src/raw-chain.ts): a source that commits a row and sends an event (acks=all), ` +
      `grouped like POST /orders (GroupCommit, up to 200, 2 in flight); three hops, each its own process, that consume (kafkajs, the apps' fetch settings and ` +
      `background offset commits), commit one transaction (multi-row INSERT) and send to the next topic; a fourth that consumes and commits. No Nest, no Prisma, ` +
      `no outbox, no inbox. Latency read like the saga's, from the rows' timestamps; idle (${fmt(c.idleOrders, 0)} one at a time) and at the saga's fixed rates.`,
  );
  lines.push(
    `- Context, no target: raw batched insert of PENDING claims (500 per statement, 2 in flight) and raw kafkajs produce (acks=all, 500 per request) — the database and broker ` +
      `limits of the accept side. Reference, not a limit: a raw one-transaction-per-claim loop (${c.conns} workers on a pool of ${r.config.DATABASE_POOL_SIZE}); neither path works that way.`,
  );
  lines.push('');
  lines.push('## Figures (median of repetitions; latency in ms: p50 / p95 / p99 / max)');
  lines.push('');
  lines.push('| path | throughput | latency |');
  lines.push('|---|---|---|');
  lines.push(
    `| contention, sync \`POST /coupons/:id/claims\` (${fmt(c.contention, 0)} claims, cap ${c.cap}) | ${fmt(s.contentionSyncRps)} req/s | ${L(s.contentionSyncLatency)} |`,
  );
  lines.push(
    `| contention, Kafka \`POST /coupons/:id/claims/async\` | ${fmt(s.contentionKafkaRps)} req/s | ${L(s.contentionKafkaLatency)} |`,
  );
  lines.push(
    `| success path, sync (${fmt(c.syncSuccess, 0)} claims) | ${fmt(s.syncClaimsPerSec)} claims/s | ${L(s.syncLatency)} |`,
  );
  lines.push(
    `| success path, Kafka accept (${fmt(c.success, 0)} claims) | ${fmt(s.kafkaAcceptedPerSec)} accepted/s | ${L(s.kafkaAcceptLatency)} |`,
  );
  lines.push(
    `| success path, Kafka issued while accepting (consumer keeps up) | ${fmt(s.kafkaIssuedPerSec)} issued/s | accept -> ISSUED ${L(s.kafkaEndToEnd)} (claim created_at -> updated_at in the DB) |`,
  );
  lines.push(
    `| Kafka backlog drain (${fmt(c.drain, 0)} claims accepted with no consumer running, then drained) | ${fmt(s.kafkaDrainIssuedPerSec)} issued/s | accepted without a consumer: ${fmt(s.kafkaAcceptedWithoutConsumer)}/s |`,
  );
  lines.push(`| limit: no-op endpoint, same Nest/Fastify stack | ${fmt(s.noopRps)} req/s | ${L(s.noopLatency)} |`);
  lines.push(
    `| limit: raw grouped guarded claims (up to ${g.maxBatch} per transaction, ${g.maxInFlight} in flight) | ${fmt(s.rawGroupedClaimsPerSec)} claims/s | ${L(s.rawGroupedLatency)} |`,
  );
  lines.push(
    `| limit: raw batched apply (${r.config.COUPON_BATCH_SIZE} per transaction) | ${fmt(s.rawApplyIssuedPerSec)} issued/s | wall clock, whole backlog: ${fmt(s.rawApplyWallClockPerSec)} issued/s |`,
  );
  lines.push(`| context: raw batched insert of claims (500/stmt) | ${fmt(s.rawInsertRowsPerSec)} rows/s | |`);
  lines.push(`| context: raw kafkajs produce (acks=all, 500/request) | ${fmt(s.rawKafkaMsgsPerSec)} msgs/s | |`);
  lines.push(`| reference: raw mysql2, one transaction per claim | ${fmt(s.rawMysqlClaimsPerSec)} claims/s | |`);
  for (const [k, v] of Object.entries(s.fixedRate ?? {})) {
    lines.push(
      `| fixed rate ${k} @ ${fmt(v.rate, 0)}/s (70% of saturation) | ${fmt(v.rps)} req/s | p50 ${fmt(v.p50, 2)} / p99 ${fmt(v.p99, 2)} from the due time (service time p99 ${fmt(v.serviceP99, 2)}) |`,
    );
  }
  if (s.sagaOrdersPerSec !== undefined) {
    if (s.sagaIdle) {
      lines.push(
        `| saga idle (${fmt(c.idleOrders, 0)} orders one at a time) | | order row -> COMPLETED p50 ${fmt(s.sagaIdle.sagaP50)} / p99 ${fmt(s.sagaIdle.sagaP99)} |`,
      );
      lines.push(
        `| limit: raw 4-hop chain idle | | source row -> hop 4 p50 ${fmt(s.sagaIdle.rawChainP50)} / p99 ${fmt(s.sagaIdle.rawChainP99)} |`,
      );
    }
    lines.push(
      `| saga at saturation (${fmt(c.orders, 0)} orders) | ${fmt(s.sagaOrdersPerSec)} orders/s completed | POST -> COMPLETED ${L(s.sagaSaturation)} |`,
    );
    for (const [k, v] of Object.entries(s.sagaFixed ?? {})) {
      lines.push(
        `| saga at ${fmt(v.rate, 0)}/s (${k} of saturation) | ${fmt(v.ordersPerSec)} orders/s | POST -> COMPLETED ${L(v)} |`,
      );
      lines.push(
        `| limit: raw 4-hop chain at ${fmt(v.rate, 0)}/s | | p50 ${fmt(v.rawChainP50)} / p99 ${fmt(v.rawChainP99)} |`,
      );
    }
  } else lines.push(`| saga | ${r.scenarios.saga?.skipped ?? 'not run'} | |`);
  lines.push('');
  lines.push(...claimFloodMarkdown(r));
  lines.push(...hopsMarkdown(r));
  lines.push(
    `Peak RSS (MiB): ${Object.entries(r.peakRssMiB)
      .map(([k, v]) => `${k} ${v ?? 'n/a'}`)
      .join(', ')}.`,
  );
  if (r.failures.length) {
    lines.push('');
    lines.push('## Failures');
    for (const x of r.failures) lines.push(`- ${x}`);
  }
  return lines.join('\n') + '\n';
}

/** Outcomes by count, largest first: "429 RATE_LIMITED 9,960, 409 COUPON_ALREADY_CLAIMED 19, 201 1". */
function outcomesText(outcomes: Record<string, number>, errors = 0): string {
  const parts = Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${fmt(v, 0)}`);
  if (errors) parts.push(`no answer ${fmt(errors, 0)}`);
  return parts.join(', ') || 'none';
}

const refusalDelay = (ms: number | undefined) =>
  ms === undefined ? 'at once (no refusal delay then)' : ms === 0 ? 'at once (COUPON_CLAIM_REFUSAL_DELAY_MS=0)' : `${fmt(ms, 0)} ms after it arrived (COUPON_CLAIM_REFUSAL_DELAY_MS)`;

/** The claim flood: its design, each repetition, and the medians. */
export function claimFloodMarkdown(r: BenchReport): string[] {
  const runs: ClaimFloodRun[] = r.scenarios.claimFlood ?? [];
  const f = r.summary.claimFlood;
  const c = r.counts;
  const lines = ["## Claim flood: one user's claims over its limit beside other users' claims", ''];
  if (!runs.length || !f) return [...lines, 'Not run.', ''];
  const first = runs[0];
  lines.push(
    `Other users: sync claims (\`POST /coupons/:id/claims\`) at ${fmt(f.rate, 0)}/s, each from a distinct user with its own token, evenly paced ` +
      `(open model, latency from the due time), on one coupon whose cap is never reached. **Baseline**: ${fmt(c.floodSeconds, 0)} s of them alone. ` +
      `**Flood**: the same load from fresh users; ${fmt(first.leadInMs, 0)} ms in, one more user sends ${fmt(c.floodClaims, 0)} claims as fast as it can ` +
      `(closed loop over ${first.flooder.connections} connections from a worker thread of the bench, alternating ${first.flooder.paths.map((p) => `\`${p}\``).join(' and ')}, ` +
      `which share its count); the other users' claims due between its first request and its last answer are compared with the baseline ` +
      `(their load goes on for at least ${fmt(c.floodSeconds, 0)} s and until the flood has ended). ` +
      `The coupon app refuses a user over COUPON_CLAIM_RATE_PER_USER=${fmt(first.flooder.perUserLimit, 0)}/s with 429 RATE_LIMITED (Retry-After) in a Fastify hook, before Nest, the database or the broker, ` +
      `and answers the refusal ${refusalDelay(r.config.COUPON_CLAIM_REFUSAL_DELAY_MS)}; ` +
      `let through means any other answer (201, 202, 409 COUPON_ALREADY_CLAIMED: it holds the coupon after its first), allowed at most the limit for every second begun, plus one. ` +
      `The machine's cores are shared by the servers and the bench (the CPU column says how much each used during the flood). ` +
      `Target: the other users' p99 during the flood at most 2x their p99 without it, none of their claims refused.`,
  );
  lines.push('');
  lines.push(
    '| repetition | other users alone, p50 / p99 ms | during the flood, p50 / p99 ms (claims) | factor p50 / p99 | other users not issued | flooder: answers by status | flooder took | let through / allowance | CPU during the flood, cores: coupon API / consumer / bench |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|');
  runs.forEach((x, i) => {
    const d = x.othersDuringFlood.latencyMs;
    lines.push(
      `| ${i + 1} | ${fmt(x.baseline.latencyMs.p50, 2)} / ${fmt(x.baseline.latencyMs.p99, 2)} | ` +
        `${fmt(d.p50, 2)} / ${fmt(d.p99, 2)} (${fmt(d.count, 0)}${x.othersCoveredFlood ? '' : ', window cut short'}) | ` +
        `${fmt(x.factor.p50, 2)}x / ${fmt(x.factor.p99, 2)}x | ${fmt(x.othersRefused, 0)} | ${outcomesText(x.flooder.outcomes, x.flooder.errors)} | ` +
        `${fmt(x.flooder.seconds, 2)} s (${fmt(x.flooder.rps, 0)}/s) | ${fmt(x.flooder.answers.through, 0)} / ${fmt(x.flooder.allowance, 0)} | ` +
        `${fmt(x.cpuDuringFlood?.couponApi, 2)} / ${fmt(x.cpuDuringFlood?.couponWorker, 2)} / ${fmt(x.cpuDuringFlood?.bench, 2)} |`,
    );
  });
  if (runs.length > 1) {
    lines.push(
      `| median | ${fmt(f.baseline.p50, 2)} / ${fmt(f.baseline.p99, 2)} | ${fmt(f.duringFlood.p50, 2)} / ${fmt(f.duringFlood.p99, 2)} | ` +
        `${fmt(f.p50Factor, 2)}x / ${fmt(f.p99Factor, 2)}x | ${fmt(f.othersRefused, 0)} (all) | 429 RATE_LIMITED ${fmt(f.flooderLimited, 0)}, let through ${fmt(f.flooderThrough, 0)} | ` +
        `${fmt(f.flooderSeconds, 2)} s (${fmt(f.flooderRps, 0)}/s) | at most ${fmt(f.worstThroughOfAllowance, 2)}x | |`,
    );
  }
  const pass = r.summary.targets.find((t) => t.name.startsWith("Claim flood: other users' p99"))?.pass ?? null;
  lines.push('');
  lines.push(
    `Factor p99 ${fmt(f.p99Factor, 2)}x (p50 ${fmt(f.p50Factor, 2)}x) against a target of <= 2x: ${pass === null ? 'not measured' : pass ? 'pass' : '**miss**'}` +
      `${f.othersRefused === 0 ? "; every other user's claim was issued." : `; **${fmt(f.othersRefused, 0)} other users' claims were not issued**.`}`,
  );
  lines.push('');
  return lines;
}

export function svg(r: BenchReport): string {
  const s = r.summary;
  const bars: [string, number | undefined, string][] = [
    ['no-op endpoint', s.noopRps, '#888'],
    ['raw kafkajs produce', s.rawKafkaMsgsPerSec, '#888'],
    ['raw batched insert', s.rawInsertRowsPerSec, '#888'],
    ['raw batched apply', s.rawApplyIssuedPerSec, '#888'],
    ['raw grouped claims', s.rawGroupedClaimsPerSec, '#888'],
    ['1 tx/claim (reference)', s.rawMysqlClaimsPerSec, '#bbb'],
    ['sync claims', s.syncClaimsPerSec, '#d62728'],
    ['Kafka accepted', s.kafkaAcceptedPerSec, '#1f77b4'],
    ['Kafka issued (live)', s.kafkaIssuedPerSec, '#2ca02c'],
    ['Kafka drain (backlog)', s.kafkaDrainIssuedPerSec, '#17becf'],
    ['saga orders', s.sagaOrdersPerSec, '#9467bd'],
  ];
  const shown = bars.filter((b): b is [string, number, string] => b[1] !== undefined && Number.isFinite(b[1]));
  const lats = (
    [
      ['sync (contention)', s.contentionSyncLatency],
      ['Kafka accept (contention)', s.contentionKafkaLatency],
      ['sync (success)', s.syncLatency],
      ['Kafka accept (success)', s.kafkaAcceptLatency],
      ['Kafka accept->ISSUED', s.kafkaEndToEnd],
      ['no-op', s.noopLatency],
      ['sync, other users alone', s.claimFlood?.baseline],
      ['sync, others in a flood', s.claimFlood?.duringFlood],
      ['saga POST->COMPLETED', s.sagaSaturation],
    ] as [string, Latency | undefined][]
  ).filter((e): e is [string, Latency] => e[1] !== undefined && Number.isFinite(e[1].p50));
  const W = 960;
  const barH = 22;
  const top1 = 50;
  const h1 = shown.length * (barH + 8);
  const top2 = top1 + h1 + 80;
  const h2 = lats.length * (barH + 8);
  const H = top2 + h2 + 50;
  const left = 200;
  const plotW = W - left - 120;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="Helvetica,Arial,sans-serif" font-size="12">`,
  );
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  const title = `Throughput per second, log scale (median of ${r.counts.reps}) — ${r.machine.cpus} cores, ${r.timestamp.slice(0, 10)}${r.mode === 'smoke' ? ' (smoke)' : ''}`;
  out.push(`<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // Log scale: the raw broker and insert limits are 10-100x the HTTP paths.
  const maxV = Math.max(...shown.map(([, v]) => v), 10);
  const lo1 = 1;
  const hi1 = Math.ceil(Math.log10(maxV));
  const wOf = (v: number) => Math.max(1, ((Math.log10(Math.max(v, 10)) - lo1) / Math.max(1, hi1 - lo1)) * plotW);
  for (let e = lo1; e <= hi1; e++) {
    const x = left + wOf(10 ** e);
    out.push(`<line x1="${x.toFixed(1)}" y1="${top1 - 6}" x2="${x.toFixed(1)}" y2="${top1 + h1}" stroke="#ddd"/>`);
    out.push(
      `<text x="${x.toFixed(1)}" y="${top1 + h1 + 12}" text-anchor="middle" fill="#666">${(10 ** e).toLocaleString('en-US')}</text>`,
    );
  }
  shown.forEach(([label, v, color], i) => {
    const y = top1 + i * (barH + 8);
    const w = wOf(v);
    out.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(label)}</text>`);
    out.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${color}"/>`);
    out.push(`<text x="${left + w + 6}" y="${y + 15}">${Math.round(v).toLocaleString('en-US')}/s</text>`);
  });
  out.push(
    `<text x="10" y="${top2 - 30}" font-size="15" font-weight="bold">Latency, ms (log scale): p50 ● p95 ◆ p99 ▲ max ×</text>`,
  );
  const all = lats.flatMap(([, l]) => [l.p50, l.p95, l.p99, l.max]).filter((x) => x > 0);
  const lo = Math.log10(Math.max(0.1, all.length ? Math.min(...all) : 1));
  const hi = Math.log10((all.length ? Math.max(...all) : 10) * 1.2);
  const xOf = (v: number) => left + ((Math.log10(Math.max(v, 0.1)) - lo) / Math.max(0.001, hi - lo)) * plotW;
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    const v = 10 ** e;
    if (v < 10 ** lo || v > 10 ** hi) continue;
    const x = xOf(v);
    out.push(`<line x1="${x}" y1="${top2 - 12}" x2="${x}" y2="${top2 + h2}" stroke="#ddd"/>`);
    out.push(
      `<text x="${x}" y="${top2 + h2 + 15}" text-anchor="middle" fill="#666">${v >= 1 ? v : v.toFixed(1)}</text>`,
    );
  }
  lats.forEach(([label, l], i) => {
    const y = top2 + i * (barH + 8) + barH / 2;
    out.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${esc(label)}</text>`);
    out.push(`<line x1="${xOf(l.p50)}" y1="${y}" x2="${xOf(l.max)}" y2="${y}" stroke="#999"/>`);
    out.push(`<circle cx="${xOf(l.p50)}" cy="${y}" r="5" fill="#1f77b4"/>`);
    out.push(
      `<rect x="${xOf(l.p95) - 4}" y="${y - 4}" width="8" height="8" fill="#ff7f0e" transform="rotate(45 ${xOf(l.p95)} ${y})"/>`,
    );
    out.push(
      `<path d="M${xOf(l.p99) - 5},${y + 5} L${xOf(l.p99)},${y - 5} L${xOf(l.p99) + 5},${y + 5} Z" fill="#d62728"/>`,
    );
    out.push(`<text x="${xOf(l.max)}" y="${y + 4}" text-anchor="middle" fill="#333">×</text>`);
    out.push(
      `<text x="${W - 110}" y="${y + 4}" fill="#333">p99 ${l.p99 >= 100 ? Math.round(l.p99) : l.p99.toFixed(1)} ms</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
