import { Emit, Tx, UnitOfWork } from '@app/database';
import { Envelope, Topic } from '@app/events';
import { automock } from './automock';

export interface Emitted {
  topic: Topic;
  payload: unknown;
  /** eventId of the consumed event that caused it, or the correlation id of a new flow. */
  cause?: string;
  correlationId?: string;
  /** Who started the new flow (a request's authenticated subject). */
  actor?: string | null;
}

/**
 * A UnitOfWork for service unit tests, built on automock(UnitOfWork) so that it follows the real
 * class's methods and signatures: the work runs at once with a dummy transaction and emitted
 * events are recorded with their origin.
 *
 * It does not deduplicate: every event of a batch is handed to the work as fresh, except those a
 * test names in `applied` (to check that a service works on what the unit of work hands it, not
 * on the batch it was given). Which events are fresh (never applied by the consumer, no repeats)
 * is the real UnitOfWork's job, proven against MySQL in libs/database/test/unit-of-work.e2e-spec.ts;
 * a service test that delivers an event twice would test this fake, not the service.
 */
export function fakeUnitOfWork({ applied = [] }: { applied?: Envelope[] } = {}) {
  // an opaque token: services only hand it to their (mocked) repositories
  const tx = {} as Tx;
  const emitted: Emitted[] = [];
  const before = new Set(applied.map((e) => e.eventId));
  const emitWith =
    (origin: { cause?: string; correlationId?: string; actor?: string | null }): Emit =>
    (topic, payload) =>
      void emitted.push({ topic, payload, ...origin });
  const uow = automock(UnitOfWork);
  uow.run.mockImplementation((work, options) => work(tx, emitWith({ correlationId: options?.correlationId })));
  uow.runForEach.mockImplementation((work) => work(tx, (origin) => emitWith('eventId' in origin ? { cause: origin.eventId } : origin)));
  uow.runOnceBatch.mockImplementation(async (_consumer, events, work) => {
    const fresh = events.filter((e) => !before.has(e.eventId));
    if (fresh.length > 0) await work(tx, fresh, (cause) => emitWith({ cause: cause.eventId }));
    return fresh.length;
  });
  // as the real ones: both go through runOnceBatch
  uow.runOnceEach.mockImplementation((consumer, events, work) =>
    uow.runOnceBatch(consumer, events, async (t, fresh, emitFor) => {
      for (const e of fresh) await work(t, emitFor(e), e);
    }),
  );
  uow.runOnce.mockImplementation(async (consumer, cause, work) => (await uow.runOnceEach(consumer, [cause], (t, emit) => work(t, emit))) === 1);
  return { tx, emitted, uow };
}
