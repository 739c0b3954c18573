import { hopsSvg } from './hops-report';
import { fmt, markdown, svg } from './report';
import { FIGURES, report, scenarios } from './test/report-fixture';

describe('markdown', () => {
  const md = markdown(report());

  it('has the targets with their results, and what each limit is', () => {
    expect(md).toContain('| Sync / raw grouped guarded claims | 0.79x | >= 0.8x | miss |');
    expect(md).toContain('| Kafka drain / raw batched apply | 0.86x | >= 0.8x | pass |');
    expect(md).toContain('| Saga orders/s at saturation | 1,261 /s | >= 1,000/s | pass |');
    expect(md).toContain('## Limits (what the ratios divide by)');
    expect(md).toMatch(/\*\*Sync \/ raw grouped guarded claims\*\*: .*up to 200; 2 transactions in flight/);
    expect(md).toMatch(/\*\*Drain \/ raw batched apply\*\*: .*1000 claims per transaction, one transaction at a time/);
    expect(md).toContain("**Saga / raw 4-hop chain**: the saga's ingredients and nothing else");
    expect(md).toContain("## Saga: where an order's time goes, hop by hop");
    expect(md).toContain('| stock: delivery | 10 / 20 / 15 | 25 / 50 / 37.5 |');
    expect(md).toContain('| limit: raw 4-hop chain idle | | source row -> hop 4 p50 24 / p99 77 |');
    expect(md).toContain('| reference: raw mysql2, one transaction per claim | 1,000 claims/s | |');
  });

  it('has the figures, and says so when the saga did not run', () => {
    expect(md).toContain('| success path, sync (200 claims) | 3,000 claims/s | 30 / 45 / 60 / 61 |');
    expect(md).toContain('| saga at 880/s (70% of saturation) | 800 orders/s |');
    const skipped = markdown(report({ ...scenarios(FIGURES), saga: { skipped: 'saga apps not working: x' } }));
    expect(skipped).toContain('| saga | saga apps not working: x | |');
    expect(skipped).toContain('| Saga orders/s at saturation | n/a /s | >= 1,000/s | not measured |');
  });

  it('says which claim limits the apps ran with, and why the one per address is raised', () => {
    expect(md).toContain('COUPON_CLAIM_RATE_PER_USER=20/s (the default');
    expect(md).toContain("COUPON_CLAIM_RATE_PER_IP raised to 10,000,000/s: all of the bench's load comes from one address (127.0.0.1)");
  });

  it('has the claim flood: its design, every repetition, the medians and the verdict', () => {
    expect(md).toContain("## Claim flood: one user's claims over its limit beside other users' claims");
    expect(md).toContain('one more user sends 1,000 claims as fast as it can');
    expect(md).toContain('alternating `/coupons/:id/claims` and `/coupons/:id/claims/async`');
    expect(md).toContain(
      '| 2 | 4 / 10 | 6 / 25 (400) | 1.5x / 2.5x | 0 | 429 RATE_LIMITED 9,959, 409 COUPON_ALREADY_CLAIMED 40, 201 1 | 2 s (5,000/s) | 41 / 60 | 0.97 / 0.05 / 0.62 |',
    );
    expect(md).toContain('| median | 4 / 10 | 5 / 18 | 1.25x / 1.8x | 0 (all) | 429 RATE_LIMITED 9,959, let through 41 |');
    expect(md).toContain('Factor p99 1.8x (p50 1.25x) against a target of <= 2x: pass; every other user');
    expect(md).toContain("| Claim flood: other users' p99, during / without the flood | 1.8x | <= 2x | pass |");
    expect(md).toContain("| Claim flood: other users' claims not issued | 0 claims | 0 | pass |");
    const { claimFlood: _flood, ...withoutFlood } = scenarios(FIGURES);
    expect(markdown(report(withoutFlood))).toContain("beside other users' claims\n\nNot run.");
  });

  it('lists the failures', () => {
    const r = { ...report(), failures: ['contention claims #0: invariant violated: issued <= cap (101 <= 100)'] };
    expect(markdown(r)).toContain('**1 violation(s)**');
    expect(markdown(r)).toContain('- contention claims #0: invariant violated: issued <= cap (101 <= 100)');
  });
});

describe('svg', () => {
  it('draws a bar per measured throughput and a row per latency', () => {
    const out = svg(report());
    expect(out.startsWith('<svg')).toBe(true);
    expect(out).toContain('>raw grouped claims</text>');
    expect(out).toContain('>3,800/s</text>');
    expect(out).toContain('>saga POST->COMPLETED</text>');
    expect(out).toContain('>sync, others in a flood</text>');
    expect(out).not.toContain('NaN');
  });

  it('draws what there is when a half did not run', () => {
    const out = svg(report({ contention: scenarios(FIGURES).contention }));
    expect(out).not.toContain('NaN');
    expect(out).not.toContain('saga orders');
  });
});

describe('fmt', () => {
  it('separates thousands and says n/a for a missing figure', () => {
    expect(fmt(7748.94)).toBe('7,748.9');
    expect(fmt(NaN)).toBe('n/a');
    expect(fmt(null)).toBe('n/a');
  });
});

describe('hopsSvg', () => {
  it('stacks the mean of every segment per traced run, the raw chain below', () => {
    const out = hopsSvg(report());
    expect(out.startsWith('<svg')).toBe(true);
    expect(out).toContain('>saga idle</text>');
    expect(out).toContain('>saga 880/s (70%)</text>');
    // 12 segments of 15 ms mean (idle): a bar of 180 ms, the raw chain's mean beside
    expect(out).toContain('>180 ms</text>');
    expect(out).toContain('<title>stock: delivery: 15 ms mean</title>');
    expect(out).not.toContain('NaN');
  });

  it('draws an empty chart when the saga did not run', () => {
    const out = hopsSvg(report({ contention: scenarios(FIGURES).contention }));
    expect(out).not.toContain('<title>');
    expect(out).not.toContain('NaN');
  });
});
