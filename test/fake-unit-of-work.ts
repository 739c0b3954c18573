import { Emit, Tx, UnitOfWork } from '@app/database';
import { Envelope, Topic } from '@app/events';

export interface Emitted {
  topic: Topic;
  payload: unknown;
  /** eventId of the consumed event that caused it, or the correlation id of a new flow. */
  cause?: string;
  correlationId?: string;
}

/**
 * A UnitOfWork for service unit tests: the work runs at once with a dummy transaction, emitted
 * events are recorded with their origin, and each consumer applies an event id at most once —
 * the same contract as the real one, without a database.
 */
export function fakeUnitOfWork() {
  const tx = {} as Tx;
  const emitted: Emitted[] = [];
  const applied = new Set<string>();
  const emitWith =
    (origin: { cause?: string; correlationId?: string }): Emit =>
    (topic, payload) =>
      void emitted.push({ topic, payload, ...origin });
  async function runOnceBatch<E extends Envelope>(consumer: string, events: E[], work: (tx: Tx, fresh: E[], emitFor: (cause: E) => Emit) => Promise<void>) {
    const fresh = events.filter((e) => !applied.has(`${consumer}/${e.eventId}`) && (applied.add(`${consumer}/${e.eventId}`), true));
    if (fresh.length > 0) await work(tx, fresh, (cause) => emitWith({ cause: cause.eventId }));
    return fresh.length;
  }
  const uow = {
    run: jest.fn(async (work: (tx: Tx, emit: Emit) => Promise<unknown>, options?: { correlationId?: string }) => work(tx, emitWith({ correlationId: options?.correlationId }))),
    runForEach: jest.fn(async (work: (tx: Tx, emitFor: (correlationId: string) => Emit) => Promise<unknown>) => work(tx, (correlationId) => emitWith({ correlationId }))),
    runOnceBatch: jest.fn(runOnceBatch),
    runOnceEach: jest.fn(<E extends Envelope>(consumer: string, events: E[], work: (tx: Tx, emit: Emit, event: E) => Promise<void>) =>
      runOnceBatch(consumer, events, async (t, fresh, emitFor) => {
        for (const e of fresh) await work(t, emitFor(e), e);
      }),
    ),
    runOnce: jest.fn(async (consumer: string, e: Envelope, work: (tx: Tx, emit: Emit) => Promise<void>) => (await runOnceBatch(consumer, [e], (t, _f, emitFor) => work(t, emitFor(e)))) === 1),
  };
  return { tx, emitted, uow, asUnitOfWork: uow as unknown as UnitOfWork };
}
