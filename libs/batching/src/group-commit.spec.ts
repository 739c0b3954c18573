import { GroupCommit } from './group-commit';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('GroupCommit', () => {
  it('carries concurrent submissions in one flush and resolves each after it', async () => {
    const flushed: number[][] = [];
    const gc = new GroupCommit<number>(async (items) => void flushed.push(items), { maxBatch: 100, lingerMs: 5, maxInFlight: 1 });
    await Promise.all([1, 2, 3, 4].map((n) => gc.submit(n)));
    expect(flushed).toEqual([[1, 2, 3, 4]]);
  });

  it('splits at maxBatch without waiting for the linger', async () => {
    const flushed: number[][] = [];
    const gc = new GroupCommit<number>(async (items) => void flushed.push(items), { maxBatch: 2, lingerMs: 10_000, maxInFlight: 4 });
    await Promise.all([1, 2, 3, 4].map((n) => gc.submit(n)));
    expect(flushed).toEqual([[1, 2], [3, 4]]);
  });

  it('does not resolve a submission before its flush finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gc = new GroupCommit<number>(() => gate, { maxBatch: 10, lingerMs: 1, maxInFlight: 1 });
    let done = false;
    const p = gc.submit(1).then(() => (done = true));
    await tick(20);
    expect(done).toBe(false);
    release();
    await p;
    expect(done).toBe(true);
  });

  it('rejects every submission of a failed flush, and only those', async () => {
    const gc = new GroupCommit<number>(
      async (items) => {
        if (items.includes(2)) throw new Error('broker down');
      },
      { maxBatch: 2, lingerMs: 1, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => gc.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('broker down');
  });

  it('batches what arrives while a flush is in flight into the next one', async () => {
    const flushed: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const gc = new GroupCommit<number>(
      async (items) => {
        flushed.push(items);
        if (flushed.length === 1) await first;
      },
      { maxBatch: 100, lingerMs: 1, maxInFlight: 1 },
    );
    const a = gc.submit(1);
    await tick(10);
    const rest = [2, 3, 4].map((n) => gc.submit(n));
    await tick(10);
    expect(flushed).toEqual([[1]]);
    release();
    await Promise.all([a, ...rest]);
    expect(flushed).toEqual([[1], [2, 3, 4]]);
  });

  it('drain() flushes the queue and waits for flushes in flight', async () => {
    const flushed: number[] = [];
    const gc = new GroupCommit<number>(async (items) => {
      await tick(5);
      flushed.push(...items);
    }, { maxBatch: 100, lingerMs: 10_000, maxInFlight: 1 });
    const p = Promise.all([gc.submit(1), gc.submit(2)]);
    await gc.drain();
    expect(flushed).toEqual([1, 2]);
    await p;
  });
});

describe('GroupCommit results', () => {
  it("resolves each submission with its own item's result, in any batch", async () => {
    const gc = new GroupCommit<number, string>(async (items) => items.map((n) => `#${n}`), { maxBatch: 2, lingerMs: 1, maxInFlight: 2 });
    expect(await Promise.all([1, 2, 3].map((n) => gc.submit(n)))).toEqual(['#1', '#2', '#3']);
  });

  it('rejects the whole batch when the flush returns a result count that does not match its items', async () => {
    const gc = new GroupCommit<number, number>(async (items) => items.slice(1), { maxBatch: 10, lingerMs: 1, maxInFlight: 1 });
    const results = await Promise.allSettled([1, 2].map((n) => gc.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/returned 1 results for 2 items/);
  });
});
