import { OffsetCommitter } from './offset-committer';

describe('OffsetCommitter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('commits once per interval, however many batches resolved meanwhile', async () => {
    const commit = jest.fn(() => Promise.resolve());
    const committer = new OffsetCommitter(200, () => undefined);
    for (let i = 0; i < 5; i++) committer.resolved(commit);
    expect(commit).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(199);
    expect(commit).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(commit).toHaveBeenCalledTimes(1);
    committer.resolved(commit);
    await jest.advanceTimersByTimeAsync(200);
    expect(commit).toHaveBeenCalledTimes(2);
  });

  it('does not commit when nothing was resolved since the last commit', async () => {
    const commit = jest.fn(() => Promise.resolve());
    const committer = new OffsetCommitter(200, () => undefined);
    committer.resolved(commit);
    await committer.flush();
    await jest.advanceTimersByTimeAsync(1000);
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('flush commits at once and waits for a commit in flight first', async () => {
    const order: string[] = [];
    let release!: () => void;
    const slow = jest.fn(() => new Promise<void>((r) => (release = r)).then(() => void order.push('first')));
    const next = jest.fn(() => Promise.resolve().then(() => void order.push('second')));
    const committer = new OffsetCommitter(200, () => undefined);
    committer.resolved(slow);
    void committer.flush();
    committer.resolved(next);
    const done = committer.flush();
    await Promise.resolve();
    expect(next).not.toHaveBeenCalled();
    release();
    await done;
    expect(order).toEqual(['first', 'second']);
  });

  it('reports a failed commit and keeps working', async () => {
    const errors: unknown[] = [];
    const committer = new OffsetCommitter(200, (e) => errors.push(e));
    committer.resolved(() => Promise.reject(new Error('coordinator moved')));
    await committer.flush();
    expect(errors).toEqual([new Error('coordinator moved')]);
    const commit = jest.fn(() => Promise.resolve());
    committer.resolved(commit);
    await committer.flush();
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('cancel drops what is pending', async () => {
    const commit = jest.fn(() => Promise.resolve());
    const committer = new OffsetCommitter(200, () => undefined);
    committer.resolved(commit);
    committer.cancel();
    await jest.advanceTimersByTimeAsync(1000);
    await committer.flush();
    expect(commit).not.toHaveBeenCalled();
  });
});
