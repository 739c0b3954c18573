import { summarize } from './summary';
import { FIGURES, floodRun, scenarios } from './test/report-fixture';

const byName = (s: ReturnType<typeof summarize>) => Object.fromEntries(s.targets.map((t) => [t.name, t]));

describe('summarize', () => {
  it('takes the median of the repetitions', () => {
    const s = summarize({ scenarios: scenarios(FIGURES), durationSec: 255 });
    expect(s.syncClaimsPerSec).toBe(3000);
    expect(s.rawGroupedClaimsPerSec).toBe(3800);
    expect(s.rawApplyIssuedPerSec).toBe(9000);
    expect(s.sagaFixed?.['70%']).toMatchObject({ rate: 880, ordersPerSec: 800, p99: 825 });
  });

  it('divides each path by the limit built like it', () => {
    const t = byName(summarize({ scenarios: scenarios(FIGURES), durationSec: 255 }));
    expect(t['Sync / raw grouped guarded claims']).toEqual({
      name: 'Sync / raw grouped guarded claims',
      measured: 0.79,
      target: '>= 0.8x',
      pass: false,
      unit: 'x',
    });
    expect(t['Kafka drain / raw batched apply']).toMatchObject({ measured: 0.86, pass: true });
    expect(t['Kafka accept / no-op endpoint']).toMatchObject({ measured: 0.53, pass: false });
  });

  it('keeps the absolute targets, the saga at 1,000 orders/s', () => {
    const t = byName(summarize({ scenarios: scenarios(FIGURES), durationSec: 601 }));
    expect(t['Kafka issued/s draining a backlog']).toMatchObject({ measured: 7750, target: '>= 5,000/s', pass: true });
    expect(t['Saga orders/s at saturation']).toMatchObject({ measured: 1261, target: '>= 1,000/s', pass: true });
    expect(t['Saga p99 at 70% saturation']).toMatchObject({ measured: 825, pass: false });
    expect(t['Kafka accept p99 at 70% saturation']).toMatchObject({ measured: 77, pass: false });
    expect(t['Whole bench duration']).toMatchObject({ measured: 601, pass: false });
    expect(Object.keys(t)).not.toContain('Kafka issued/s draining a backlog / sync claims/s');
  });

  it('puts the saga beside the raw four-hop chain: idle ratios, and the chain at the same rate', () => {
    const s = summarize({ scenarios: scenarios(FIGURES), durationSec: 255 });
    expect(s.sagaIdle).toEqual({ sagaP50: 114, sagaP99: 321, rawChainP50: 24, rawChainP99: 77 });
    expect(s.sagaFixed?.['70%']).toMatchObject({ rawChainP50: 150, rawChainP99: 400 });
    const t = byName(s);
    expect(t['Saga idle p50 / raw 4-hop chain idle p50']).toMatchObject({
      measured: 4.75,
      target: '<= 1.5x',
      pass: false,
    });
    expect(t['Saga idle p99 / raw 4-hop chain idle p99']).toMatchObject({
      measured: 4.17,
      target: '<= 2x',
      pass: false,
    });
    // no 30 % run in the fixture: not measured, not failed
    expect(t['Saga p99 at 30% saturation'].pass).toBeNull();
  });

  it('sums up the claim flood: median factors, the worst share of the allowance, every refusal', () => {
    const s = summarize({ scenarios: scenarios(FIGURES), durationSec: 255 });
    expect(s.claimFlood).toMatchObject({
      rate: 200,
      claims: 10_000,
      baseline: { p50: 4, p99: 10 },
      duringFlood: { p50: 5, p99: 18 },
      p50Factor: 1.25,
      p99Factor: 1.8,
      flooderSeconds: 2,
      flooderLimited: 9959,
      flooderThrough: 41,
      worstThroughOfAllowance: 1.1,
      othersRefused: 0,
    });
    const t = byName(s);
    expect(t["Claim flood: other users' p99, during / without the flood"]).toEqual({
      name: "Claim flood: other users' p99, during / without the flood",
      measured: 1.8,
      target: '<= 2x',
      pass: true,
      unit: 'x',
    });
    expect(t["Claim flood: other users' claims not issued"]).toMatchObject({ measured: 0, pass: true });
    expect(t["Claim flood: flooder's claims let through / its allowance"]).toMatchObject({ measured: 1.1, pass: false });
  });

  it('misses the flood target above 2x, and counts every other user refused in any repetition', () => {
    const runs = [floodRun([4, 10], [9, 21], 20, 1), floodRun([4, 10], [9, 30], 20, 2)];
    const t = byName(summarize({ scenarios: { claimFlood: runs }, durationSec: 10 }));
    expect(t["Claim flood: other users' p99, during / without the flood"]).toMatchObject({ measured: 2.55, pass: false });
    expect(t["Claim flood: other users' claims not issued"]).toMatchObject({ measured: 3, pass: false });
    expect(t["Claim flood: flooder's claims let through / its allowance"]).toMatchObject({ measured: 0.33, pass: true });
  });

  it('marks the targets of a half that did not run as not measured', () => {
    const { saga: _saga, ...couponOnly } = scenarios(FIGURES);
    const t = byName(summarize({ scenarios: couponOnly, durationSec: 100 }));
    expect(t['Saga orders/s at saturation'].pass).toBeNull();
    expect(t['Saga p99 at 70% saturation'].pass).toBeNull();
    expect(t['Saga idle p50 / raw 4-hop chain idle p50'].pass).toBeNull();
    expect(t['Sync / raw grouped guarded claims'].pass).toBe(false);

    const skipped = summarize({
      scenarios: { ...couponOnly, saga: { skipped: 'saga apps not working' } },
      durationSec: 100,
    });
    expect(skipped.sagaOrdersPerSec).toBeUndefined();
    const none = byName(summarize({ scenarios: {}, durationSec: 1 }));
    expect(none['Sync / raw grouped guarded claims'].pass).toBeNull();
    expect(none["Claim flood: other users' p99, during / without the flood"].pass).toBeNull();
    expect(none["Claim flood: other users' claims not issued"].pass).toBeNull();
    expect(none['Whole bench duration'].pass).toBe(true);
  });
});
