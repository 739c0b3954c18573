import { MessageHandler } from '@nestjs/microservices';
import { createEnvelope, Envelope, newId, Topic } from '@app/events';
import { BatchMerger } from './merge';

const event = (count: number) =>
  createEnvelope(Topic.StockReleased, { orderId: newId(), sku: 'apple', count }, { producer: 'test' }) as Envelope;

/** A Nest batch handler (extras shared by its wrappers) recording each call; fails when told. */
function handler(fail = false) {
  const calls: number[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const fn: MessageHandler<Envelope[]> = async (events) => {
    calls.push(events.map((e) => (e.payload as { count: number }).count));
    if (calls.length === 1) await gate; // the first call is slow: the next batches pile up
    if (fail) throw new Error('bug');
  };
  fn.extras = { batch: true };
  return { fn, calls, release };
}

describe('BatchMerger', () => {
  it('merges batches arriving together, and those arriving while a call runs into one next call', async () => {
    const merger = new BatchMerger();
    const h = handler();
    const first = merger.tryMerged(h.fn, [event(1)]);
    await new Promise((r) => setTimeout(r, 5)); // the first call is running
    const second = merger.tryMerged(h.fn, [event(2), event(3)]);
    const third = merger.tryMerged(h.fn, [event(4)]);
    h.release();
    await expect(Promise.all([first, second, third])).resolves.toEqual([true, true, true]);
    expect(h.calls).toEqual([[1], [2, 3, 4]]);
  });

  it('merges batches submitted in the same tick into one call', async () => {
    const merger = new BatchMerger();
    const h = handler();
    h.release();
    await Promise.all([merger.tryMerged(h.fn, [event(1)]), merger.tryMerged(h.fn, [event(2)])]);
    expect(h.calls).toEqual([[1, 2]]);
  });

  it('answers false to every batch of a failed merged call (each is then settled alone)', async () => {
    const merger = new BatchMerger();
    const h = handler(true);
    const first = merger.tryMerged(h.fn, [event(1)]);
    const second = merger.tryMerged(h.fn, [event(2)]);
    h.release();
    await expect(Promise.all([first, second])).resolves.toEqual([false, false]);
  });
});
