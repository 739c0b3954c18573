// A fix for kafkajs 2.2.4's request queue, applied once per process before any client connects.
//
// After every response, RequestQueue.checkPendingRequests() calls scheduleCheckPendingRequests(),
// which, with nothing throttled, computes `throttledUntil (-1) - Date.now()` — a negative delay that
// Node turns into 1 ms — and the timer calls checkPendingRequests() again: every broker connection
// of every client spins a 1 ms timer loop for as long as it is open (tulios/kafkajs#1704, #1751).
// Measured here with one producer and one admin client, idle: 1,600 timers/s and 30 ms of CPU per
// second, 0 and 2-3.6 ms with this fix; Node 24 also prints a TimeoutNegativeWarning for it.
//
// The fix (the one proposed in tulios/kafkajs#1768's review) schedules a check only when it can do
// something: requests are pending, or a throttle is in force. New requests still get one: push()
// sends at once or enqueues and schedules; a response or a timeout runs the check directly.
// kafkajs ships no types for its internals.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;

interface RequestQueueInstance {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
}
interface RequestQueueClass {
  prototype: {
    scheduleCheckPendingRequests(this: RequestQueueInstance): void;
  } & Record<symbol, unknown>;
}

const FIXED = Symbol.for('commerce-events.kafkajs.request-queue-fix');

/** Idempotent; a kafkajs whose request queue has no such method is left alone. */
export function fixKafkajsRequestQueue(): void {
  const proto = RequestQueue.prototype;
  if (proto[FIXED] || typeof proto.scheduleCheckPendingRequests !== 'function') return;
  const schedule = proto.scheduleCheckPendingRequests;
  proto.scheduleCheckPendingRequests = function (this: RequestQueueInstance) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
  proto[FIXED] = true;
}

fixKafkajsRequestQueue();
