import { OutboxSignal } from './outbox-signal';

describe('OutboxSignal', () => {
  it('wakes a waiting relay on notify', async () => {
    const signal = new OutboxSignal();
    const woke = signal.wait(60_000);
    signal.notify();
    await expect(woke).resolves.toBeUndefined();
  });

  it('remembers a notify that came while the relay was busy', async () => {
    jest.useFakeTimers();
    const signal = new OutboxSignal();
    signal.notify(); // nobody waiting: the relay is publishing
    let woke = false;
    void signal.wait(60_000).then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(true);
    // consumed: the next wait sleeps until its timeout
    let second = false;
    void signal.wait(1000).then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    jest.advanceTimersByTime(1000);
    await Promise.resolve();
    expect(second).toBe(true);
    jest.useRealTimers();
  });

  it('hands committed rows to the relay oldest first, in batches, and forgets the oldest past its cap', () => {
    const signal = new OutboxSignal();
    const row = (n: number) => ({ topic: 't', key: 'k', value: String(n), eventId: `e${n}` });
    signal.notify([row(1), row(2)]);
    signal.notify([row(3)]);
    expect(signal.take(2).map((r) => r.eventId)).toEqual(['e1', 'e2']);
    expect(signal.take().map((r) => r.eventId)).toEqual(['e3']);
    expect(signal.take()).toEqual([]);
    // while Kafka is down nothing is taken: memory stays bounded, the table still has every row
    signal.notify(Array.from({ length: 20_005 }, (_, i) => row(i)));
    const kept = signal.take();
    expect(kept).toHaveLength(20_000);
    expect(kept[0]!.eventId).toBe('e5');
  });
});
