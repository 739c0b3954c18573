import { ClaimRateLimiter, RefusalHold } from './claim-rate-limit';
import { RateWindows } from './rate-windows';

describe('RateWindows', () => {
  it("counts a key's hits in a window that starts at its first hit, and starts again when it ends", () => {
    let now = 10_500;
    const windows = new RateWindows(1000, () => now);
    expect(windows.hit('a')).toEqual({ count: 1, endsInMs: 1000 });
    now = 11_000; // a whole second on the clock does not cut the window
    expect(windows.hit('a')).toEqual({ count: 2, endsInMs: 500 });
    expect(windows.hit('b')).toEqual({ count: 1, endsInMs: 1000 });
    now = 11_500;
    expect(windows.hit('a')).toEqual({ count: 1, endsInMs: 1000 });
  });

  it('forgets keys whose window ended, so memory follows the recent keys only', () => {
    let now = 0;
    const windows = new RateWindows(1000, () => now);
    for (let i = 0; i < 500; i++) windows.hit(`k${i}`);
    expect(windows.size).toBe(500);
    now = 10_000;
    windows.hit('fresh');
    expect(windows.size).toBe(1);
  });
});

describe('ClaimRateLimiter', () => {
  const limits = { perUser: 3, perAddress: 5 };

  it("refuses a user's claims past its limit with the seconds until its window ends, and not another user's", () => {
    let now = 0;
    const limiter = new ClaimRateLimiter(limits, () => now);
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1', '7'))).toEqual([undefined, undefined, undefined]);
    now = 200;
    expect(limiter.take('10.0.0.1', '7')).toEqual({ over: 'user', limit: 3, retryAfterSeconds: 1 });
    expect(limiter.take('10.0.0.1', '8')).toBeUndefined();
    now = 1000;
    expect(limiter.take('10.0.0.2', '7')).toBeUndefined();
  });

  it("refuses an address's claims past its limit whatever their users, those without a valid token included", () => {
    const limiter = new ClaimRateLimiter(limits, () => 0);
    const answers = ['1', '2', undefined, '3', '4', '5', undefined].map((user) => limiter.take('10.0.0.1', user));
    expect(answers.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(answers.slice(5)).toEqual([
      { over: 'address', limit: 5, retryAfterSeconds: 1 },
      { over: 'address', limit: 5, retryAfterSeconds: 1 },
    ]);
    expect(limiter.take('10.0.0.9', undefined)).toBeUndefined();
  });

  it('counts a refused claim against its address, so a user over its own limit still uses up its address', () => {
    const limiter = new ClaimRateLimiter({ perUser: 1, perAddress: 3 }, () => 0);
    expect(limiter.take('10.0.0.1', '7')).toBeUndefined();
    expect(limiter.take('10.0.0.1', '7')?.over).toBe('user');
    expect(limiter.take('10.0.0.1', '7')?.over).toBe('user');
    expect(limiter.take('10.0.0.1', '8')?.over).toBe('address');
  });
});

describe('RefusalHold', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers each refusal its delay later, and at once when the delay is 0', () => {
    const sent: string[] = [];
    const hold = new RefusalHold(100);
    hold.answer(() => sent.push('a'));
    jest.advanceTimersByTime(99);
    expect(sent).toEqual([]);
    expect(hold.held).toBe(1);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual(['a']);
    expect(hold.held).toBe(0);
    new RefusalHold(0).answer(() => sent.push('now'));
    expect(sent).toEqual(['a', 'now']);
  });

  it('holds at most `max` at once: past it a refusal is answered at once, and holding resumes as they are answered', () => {
    const sent: number[] = [];
    const hold = new RefusalHold(100, 3);
    for (let i = 0; i < 5; i++) hold.answer(() => sent.push(i));
    expect(sent).toEqual([3, 4]);
    expect(hold.held).toBe(3);
    jest.advanceTimersByTime(100);
    expect(sent).toEqual([3, 4, 0, 1, 2]);
    hold.answer(() => sent.push(5));
    expect(hold.held).toBe(1);
  });
});
