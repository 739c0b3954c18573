import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInfra } from '../test/infra';

// `npm run bench -- --smoke` end to end, so the benchmark cannot rot: the report must be complete
// (every section present, every figure a finite number) and every invariant must have held.
// Never a timing assertion: this machine's speed is not what is tested here.
jest.setTimeout(240_000);

const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);

describe('bench --smoke', () => {
  it('produces a complete report with every invariant held', () => {
    const infra = loadInfra();
    const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const r = spawnSync(process.execPath, [join(__dirname, 'run.js'), '--smoke', '--out', out, '--port', String(port)], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, KAFKA_BROKERS: infra.brokers, BENCH_DATABASE_HOST: infra.databaseUrl.replace(/\/[A-Za-z0-9_]+(\?.*)?$/, '') },
      encoding: 'utf8',
      timeout: 230_000,
    });
    const json = readdirSync(out).find((f) => f.endsWith('.json'));
    if (r.status !== 0 || !json) throw new Error(`bench --smoke exited ${r.status}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
    const report = JSON.parse(readFileSync(join(out, json), 'utf8'));

    expect(report.ok).toBe(true);
    expect(report.failures).toEqual([]);
    const s = report.scenarios;
    for (const list of [s.contention.sync, s.contention.kafka, s.success.sync, s.success.kafka, s.success.kafkaDrain]) {
      expect(list.length).toBeGreaterThan(0);
      for (const run of list) {
        expect(run.invariants.ok).toBe(true);
        expect(Object.values(run.invariants.checks).every(Boolean)).toBe(true);
        expect(finite(run.rps)).toBe(true);
        for (const k of ['p50', 'p95', 'p99', 'max']) expect(finite(run.latencyMs[k])).toBe(true);
      }
    }
    // contention: the cap was reached and held on both paths
    for (const run of [...s.contention.sync, ...s.contention.kafka]) expect(run.invariants.issued).toBe(run.invariants.total);
    for (const run of s.success.kafka) {
      expect(run.pendingAfterDrain).toBe(0);
      expect(finite(run.issuedPerSec)).toBe(true);
      expect(finite(run.endToEndMs.p99)).toBe(true);
    }
    for (const k of ['noop', 'rawMysqlGuardedClaim', 'rawGroupedClaims', 'rawBatchedApply', 'rawBatchedInsert', 'rawKafkaProduce']) expect(s.limits[k].length).toBeGreaterThan(0);
    // the like-with-like limits did the same work as their paths, and kept the same invariants
    for (const run of [...s.limits.rawGroupedClaims, ...s.limits.rawBatchedApply]) expect(run.invariants.ok).toBe(true);
    for (const run of s.limits.rawBatchedApply) expect(run.issued).toBe(run.backlog);
    for (const k of ['sync', 'kafka', 'noop']) expect(finite(s.fixedRate[k][0].latencyMs.p99)).toBe(true);
    // the claim flood: the other users' claims all issued, the flooder answered in full, refused
    // 429 RATE_LIMITED beyond its allowance (counts only: no timing is asserted)
    expect(s.claimFlood.length).toBeGreaterThan(0);
    for (const run of s.claimFlood) {
      expect(run.invariants.ok).toBe(true);
      expect(run.othersRefused).toBe(0);
      expect(Object.keys(run.othersDuringFlood.outcomes)).toEqual(['201']);
      expect(run.othersDuringFlood.latencyMs.count).toBeGreaterThan(0);
      expect(run.flooder.requests + run.flooder.errors).toBe(report.counts.floodClaims);
      expect(run.flooder.answers.limited).toBeGreaterThan(0);
      expect(run.flooder.answers.through).toBeGreaterThan(0);
      expect(run.flooder.answers.through).toBeLessThanOrEqual(run.flooder.allowance);
      for (const k of ['p50', 'p99']) expect(finite(run.factor[k])).toBe(true);
    }
    expect(report.config.COUPON_CLAIM_RATE_PER_USER).toBe(20);
    expect(report.config.COUPON_CLAIM_RATE_PER_IP).toBe(10_000_000);
    expect(s.saga.skipped).toBeUndefined();
    // the saga beside its limit, and the per-hop trace of every traced run complete
    expect(s.saga.idle.orders).toBeGreaterThan(0);
    expect(s.saga.rawChain.idle.completed).toBe(s.saga.rawChain.idle.started);
    const traces = [s.saga.idle.hops, ...Object.values(s.saga.fixedRate as Record<string, { hops: { orders: number; hops: { ms: { p50: number } }[] } }[]>).map((runs) => runs[0].hops)];
    for (const trace of traces) {
      expect(trace.orders).toBeGreaterThan(0);
      for (const hop of trace.hops) expect(finite(hop.ms.p50)).toBe(true);
    }
    for (const runs of Object.values(s.saga.rawChain.fixedRate as Record<string, { completed: number; started: number }[]>)) {
      for (const run of runs) expect(run.completed).toBe(run.started);
    }
    for (const run of s.saga.saturation) {
      expect(run.allTerminal).toBe(true);
      expect(run.invariants.ok).toBe(true);
    }
    const summary = report.summary;
    for (const k of ['contentionSyncRps', 'contentionKafkaRps', 'syncClaimsPerSec', 'kafkaAcceptedPerSec', 'kafkaIssuedPerSec', 'kafkaDrainIssuedPerSec', 'noopRps', 'rawMysqlClaimsPerSec', 'rawGroupedClaimsPerSec', 'rawApplyIssuedPerSec', 'rawInsertRowsPerSec', 'rawKafkaMsgsPerSec', 'sagaOrdersPerSec']) {
      expect([k, finite(summary[k])]).toEqual([k, true]);
    }
    for (const t of summary.targets) expect([t.name, finite(t.measured)]).toEqual([t.name, true]);
    for (const v of Object.values(report.peakRssMiB)) expect(finite(v)).toBe(true);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['smoke-latest.md', 'smoke-latest.svg']));
  });
});
