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
});
