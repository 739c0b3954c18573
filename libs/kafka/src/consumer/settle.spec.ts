import { InfraHold } from './infra-hold';
import { settle, SettleOptions } from './settle';

const poison = Object.assign(new Error('rule broken for good'), { permanent: true });
const dbDown = () => Object.assign(new Error('pool timeout'), { code: 'P2024' });

/** A handler over numbered events that fails on the given ones; records every call. */
function harness(fail: (n: number, call: number) => unknown, maxRetries = 3) {
  const calls: number[][] = [];
  const applied: number[] = [];
  const dead: { n: number; attempts: number; error: unknown }[] = [];
  const perEvent = new Map<number, number>();
  const options: SettleOptions<number> = {
    hold: new InfraHold({ baseMs: 1, capMs: 2, heartbeat: async () => undefined, isActive: () => true }),
    maxRetries,
    retryBackoffMs: 1,
    apply: async (events) => {
      calls.push(events);
      for (const n of events) perEvent.set(n, (perEvent.get(n) ?? 0) + 1);
      for (const n of events) {
        const error = fail(n, perEvent.get(n)!);
        if (error) throw error;
      }
      applied.push(...events);
    },
    deadLetter: async (n, error, attempts) => {
      dead.push({ n, attempts, error });
    },
  };
  return { options, calls, applied, dead };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('settle', () => {
  it('applies a healthy batch in one call', async () => {
    const h = harness(() => undefined);
    await settle(range(500), h.options);
    expect(h.calls).toHaveLength(1);
    expect(h.applied).toEqual(range(500));
  });

  it('isolates one poison event among 512 in O(log n) calls and applies the rest in order', async () => {
    const h = harness((n) => (n === 337 ? poison : undefined));
    await settle(range(512), h.options);
    expect(h.dead).toEqual([{ n: 337, attempts: 1, error: poison }]);
    expect(h.applied).toEqual(range(512).filter((n) => n !== 337));
    // the full batch, then per level one failing and one passing half: 1 + 2·log2(512)
    expect(h.calls.length).toBeLessThanOrEqual(1 + 2 * Math.log2(512));
  });

  it('retries an event failing with an unknown error, then dead-letters it with its attempts', async () => {
    const h = harness((n) => (n === 3 ? new Error('bug') : undefined), 3);
    await settle([3], h.options);
    expect(h.calls).toEqual([[3], [3], [3], [3]]);
    expect(h.dead.map((d) => [d.n, d.attempts])).toEqual([[3, 4]]);
  });

  it('applies an event whose unknown failure goes away on a retry', async () => {
    const h = harness((n, call) => (call <= 2 ? new Error(`transient ${call}`) : undefined));
    await settle([7], h.options);
    expect(h.applied).toEqual([7]);
    expect(h.dead).toEqual([]);
  });

  it('never dead-letters during an outage: the whole batch waits and is applied once back', async () => {
    let down = 20;
    const h = harness(() => (down-- > 0 ? dbDown() : undefined));
    await settle(range(100), h.options);
    expect(h.dead).toEqual([]);
    expect(h.applied).toEqual(range(100));
    // held as one batch, not bisected
    expect(h.calls.every((c) => c.length === 100)).toBe(true);
  });

  it('holds the dead-letter send itself while the broker is down', async () => {
    let brokerDown = 3;
    const h = harness((n) => (n === 1 ? poison : undefined));
    const send = h.options.deadLetter;
    h.options.deadLetter = async (...args) => {
      if (brokerDown-- > 0) throw Object.assign(new Error('no ack'), { name: 'KafkaUnavailableError' });
      await send(...args);
    };
    await settle([0, 1, 2], h.options);
    expect(h.dead.map((d) => d.n)).toEqual([1]);
    expect(h.applied).toEqual([0, 2]);
  });
});
