// Renders a bench report (bench/run.js) as a markdown summary and a hand-written SVG chart.
const f = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? 'n/a' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d }));

function markdown(r) {
  const s = r.summary;
  const L = (l) => (l ? `${f(l.p50, 2)} / ${f(l.p95, 2)} / ${f(l.p99, 2)} / ${f(l.max, 1)}` : 'n/a');
  const lines = [];
  lines.push(`# Benchmark ${r.mode === 'smoke' ? '(smoke — tiny counts, not a measurement)' : ''} — ${r.timestamp}`);
  lines.push('');
  lines.push(
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGiB} GiB, ${r.machine.platform}, Node ${r.machine.node}. ` +
      `Software: ${Object.entries(r.software).map(([k, v]) => `${k} ${v}`).join(', ')}. ` +
      `Load: generated in the bench process (a separate process from the servers): closed-model runs with autocannon over ${r.counts.conns} connections; fixed-rate runs open-model, evenly paced, latency from each request's due time; median of ${r.counts.reps} repetition(s) (Kafka success path: ${r.counts.kafkaReps ?? r.counts.reps} × ${f(r.counts.success, 0)} claims); ` +
      `The coupon app runs as two processes of the same build: one answers HTTP (KAFKA_CONSUMERS=off), one consumes claims. ` +
      `DATABASE_POOL_SIZE=${r.config.DATABASE_POOL_SIZE}, ${r.config.COUPON_CLAIM_PARTITIONS} claim partitions, consumer concurrency ${r.config.COUPON_CONSUMER_CONCURRENCY}. ` +
      `Whole run ${f(r.durationSec)} s. Invariants: ${r.failures.length === 0 ? 'all held' : `**${r.failures.length} violation(s)**`}.`,
  );
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| target | measured | goal | result |');
  lines.push('|---|---|---|---|');
  for (const t of s.targets) lines.push(`| ${t.name} | ${f(t.measured, 2)}${t.unit === 'x' ? 'x' : ` ${t.unit}`} | ${t.goal ?? t.target} | ${t.pass === null ? 'not measured' : t.pass ? 'pass' : 'miss'} |`);
  lines.push('');
  lines.push('## Figures (median of repetitions; latency in ms: p50 / p95 / p99 / max)');
  lines.push('');
  lines.push('| path | throughput | latency |');
  lines.push('|---|---|---|');
  lines.push(`| contention, sync \`POST /coupons/:id/claims\` (${f(r.counts.contention, 0)} claims, cap ${r.counts.cap}) | ${f(s.contentionSyncRps)} req/s | ${L(s.contentionSyncLatency)} |`);
  lines.push(`| contention, Kafka \`POST /coupons/:id/claims/async\` | ${f(s.contentionKafkaRps)} req/s | ${L(s.contentionKafkaLatency)} |`);
  lines.push(`| success path, sync (${f(r.counts.syncSuccess, 0)} claims) | ${f(s.syncClaimsPerSec)} claims/s | ${L(s.syncLatency)} |`);
  lines.push(`| success path, Kafka accept (${f(r.counts.success, 0)} claims) | ${f(s.kafkaAcceptedPerSec)} accepted/s | ${L(s.kafkaAcceptLatency)} |`);
  lines.push(`| success path, Kafka issued while accepting (consumer keeps up) | ${f(s.kafkaIssuedPerSec)} issued/s | accept -> ISSUED ${L(s.kafkaEndToEnd)} (claim created_at -> updated_at in the DB) |`);
  lines.push(`| Kafka backlog drain (${f(r.counts.drain, 0)} claims accepted with no consumer running, then drained) | ${f(s.kafkaDrainIssuedPerSec)} issued/s | accepted without a consumer: ${f(s.kafkaAcceptedWithoutConsumer)}/s |`);
  lines.push(`| limit: no-op endpoint, same Nest/Fastify stack | ${f(s.noopRps)} req/s | ${L(s.noopLatency)} |`);
  lines.push(`| limit: raw mysql2 guarded claim, one transaction per claim, ${r.counts.conns} workers on a pool of ${r.config.DATABASE_POOL_SIZE} | ${f(s.rawMysqlClaimsPerSec)} claims/s | |`);
  lines.push(`| limit: raw batched insert of claims (500/stmt) | ${f(s.rawInsertRowsPerSec)} rows/s | |`);
  lines.push(`| limit: raw kafkajs produce (acks=all, 500/request) | ${f(s.rawKafkaMsgsPerSec)} msgs/s | |`);
  for (const [k, v] of Object.entries(s.fixedRate ?? {})) {
    lines.push(`| fixed rate ${k} @ ${f(v.rate, 0)}/s (70% of saturation) | ${f(v.rps)} req/s | p50 ${f(v.p50, 2)} / p99 ${f(v.p99, 2)} from the due time (service time p99 ${f(v.serviceP99, 2)}) |`);
  }
  if (s.sagaOrdersPerSec !== undefined) {
    lines.push(`| saga at saturation (${f(r.counts.orders, 0)} orders) | ${f(s.sagaOrdersPerSec)} orders/s completed | POST -> COMPLETED ${L(s.sagaSaturation)} |`);
    for (const [k, v] of Object.entries(s.sagaFixed)) lines.push(`| saga at ${f(v.rate, 0)}/s (${k} of saturation) | ${f(v.ordersPerSec)} orders/s | POST -> COMPLETED ${L(v)} |`);
  } else lines.push(`| saga | ${r.scenarios.saga?.skipped ?? 'not run'} | |`);
  lines.push('');
  lines.push(`Peak RSS (MiB): ${Object.entries(r.peakRssMiB).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  if (r.failures.length) {
    lines.push('');
    lines.push('## Failures');
    for (const x of r.failures) lines.push(`- ${x}`);
  }
  return lines.join('\n') + '\n';
}

function svg(r) {
  const s = r.summary;
  const bars = [
    ['no-op endpoint', s.noopRps, '#888'],
    ['raw kafkajs produce', s.rawKafkaMsgsPerSec, '#888'],
    ['raw batched insert', s.rawInsertRowsPerSec, '#888'],
    ['raw mysql2 claim', s.rawMysqlClaimsPerSec, '#888'],
    ['sync claims', s.syncClaimsPerSec, '#d62728'],
    ['Kafka accepted', s.kafkaAcceptedPerSec, '#1f77b4'],
    ['Kafka issued (live)', s.kafkaIssuedPerSec, '#2ca02c'],
    ['Kafka drain (backlog)', s.kafkaDrainIssuedPerSec, '#17becf'],
    ['saga orders', s.sagaOrdersPerSec, '#9467bd'],
  ].filter(([, v]) => Number.isFinite(v));
  const lats = [
    ['sync (contention)', s.contentionSyncLatency],
    ['Kafka accept (contention)', s.contentionKafkaLatency],
    ['sync (success)', s.syncLatency],
    ['Kafka accept (success)', s.kafkaAcceptLatency],
    ['Kafka accept->ISSUED', s.kafkaEndToEnd],
    ['no-op', s.noopLatency],
    ['saga POST->COMPLETED', s.sagaSaturation],
  ].filter(([, l]) => l && Number.isFinite(l.p50));
  const W = 960;
  const barH = 22;
  const top1 = 50;
  const h1 = bars.length * (barH + 8);
  const top2 = top1 + h1 + 80;
  const h2 = lats.length * (barH + 8);
  const H = top2 + h2 + 50;
  const left = 200;
  const plotW = W - left - 120;
  const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="Helvetica,Arial,sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text x="10" y="22" font-size="15" font-weight="bold">${esc(`Throughput per second, log scale (median of ${r.counts.reps}) — ${r.machine.cpus} cores, ${r.timestamp.slice(0, 10)}${r.mode === 'smoke' ? ' (smoke)' : ''}`)}</text>`);
  // Log scale: the raw broker and insert limits are 10-100x the HTTP paths.
  const maxV = Math.max(...bars.map(([, v]) => v), 10);
  const lo1 = 1;
  const hi1 = Math.ceil(Math.log10(maxV));
  const wOf = (v) => Math.max(1, ((Math.log10(Math.max(v, 10)) - lo1) / Math.max(1, hi1 - lo1)) * plotW);
  for (let e = lo1; e <= hi1; e++) {
    const x = left + wOf(10 ** e);
    out.push(`<line x1="${x.toFixed(1)}" y1="${top1 - 6}" x2="${x.toFixed(1)}" y2="${top1 + h1}" stroke="#ddd"/>`);
    out.push(`<text x="${x.toFixed(1)}" y="${top1 + h1 + 12}" text-anchor="middle" fill="#666">${(10 ** e).toLocaleString('en-US')}</text>`);
  }
  bars.forEach(([label, v, color], i) => {
    const y = top1 + i * (barH + 8);
    const w = wOf(v);
    out.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(label)}</text>`);
    out.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${color}"/>`);
    out.push(`<text x="${left + w + 6}" y="${y + 15}">${Math.round(v).toLocaleString('en-US')}/s</text>`);
  });
  out.push(`<text x="10" y="${top2 - 30}" font-size="15" font-weight="bold">Latency, ms (log scale): p50 ● p95 ◆ p99 ▲ max ×</text>`);
  const all = lats.flatMap(([, l]) => [l.p50, l.p95, l.p99, l.max]).filter((x) => x > 0);
  const lo = Math.log10(Math.max(0.1, Math.min(...all)));
  const hi = Math.log10(Math.max(...all) * 1.2);
  const xOf = (v) => left + ((Math.log10(Math.max(v, 0.1)) - lo) / Math.max(0.001, hi - lo)) * plotW;
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    const v = 10 ** e;
    if (v < 10 ** lo || v > 10 ** hi) continue;
    const x = xOf(v);
    out.push(`<line x1="${x}" y1="${top2 - 12}" x2="${x}" y2="${top2 + h2}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${top2 + h2 + 15}" text-anchor="middle" fill="#666">${v >= 1 ? v : v.toFixed(1)}</text>`);
  }
  lats.forEach(([label, l], i) => {
    const y = top2 + i * (barH + 8) + barH / 2;
    out.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${esc(label)}</text>`);
    out.push(`<line x1="${xOf(l.p50)}" y1="${y}" x2="${xOf(l.max)}" y2="${y}" stroke="#999"/>`);
    out.push(`<circle cx="${xOf(l.p50)}" cy="${y}" r="5" fill="#1f77b4"/>`);
    out.push(`<rect x="${xOf(l.p95) - 4}" y="${y - 4}" width="8" height="8" fill="#ff7f0e" transform="rotate(45 ${xOf(l.p95)} ${y})"/>`);
    out.push(`<path d="M${xOf(l.p99) - 5},${y + 5} L${xOf(l.p99)},${y - 5} L${xOf(l.p99) + 5},${y + 5} Z" fill="#d62728"/>`);
    out.push(`<text x="${xOf(l.max)}" y="${y + 4}" text-anchor="middle" fill="#333">×</text>`);
    out.push(`<text x="${W - 110}" y="${y + 4}" fill="#333">p99 ${l.p99 >= 100 ? Math.round(l.p99) : l.p99.toFixed(1)} ms</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

module.exports = { markdown, svg };
