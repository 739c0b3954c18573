import { fixKafkajsRequestQueue } from './request-queue-fix';

// kafkajs' RequestQueue, fixed: no timer while idle; a throttled queue still sends its pending
// requests when the throttle ends; a full queue still drains as responses arrive.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs ships no types for its internals
const RequestQueue = require('kafkajs/src/network/requestQueue');

const logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
function queue(maxInFlightRequests = 1) {
  return new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 't',
    broker: 'b:1',
    logger,
  });
}
let correlationId = 0;
function request(sent: number[]) {
  const id = ++correlationId;
  return {
    entry: {
      correlationId: id,
      apiKey: 0,
      apiName: 'Produce',
      apiVersion: 0,
      resolve: () => {},
      reject: () => {},
    },
    expectResponse: true,
    sendRequest: () => sent.push(id),
  };
}

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

it('is applied once, whoever imports it', () => {
  const method = RequestQueue.prototype.scheduleCheckPendingRequests;
  fixKafkajsRequestQueue();
  expect(RequestQueue.prototype.scheduleCheckPendingRequests).toBe(method);
});

it('schedules nothing after a response when nothing is pending or throttled (no 1 ms timer loop)', () => {
  const q = queue();
  const sent: number[] = [];
  q.push(request(sent));
  q.fulfillRequest({
    correlationId: sent[0],
    payload: Buffer.alloc(0),
    size: 0,
  });
  expect(q.throttleCheckTimeoutId).toBeFalsy();
  expect(jest.getTimerCount()).toBe(0);
});

it('sends a request held by a client-side throttle when the throttle ends', () => {
  const q = queue(5);
  const sent: number[] = [];
  q.maybeThrottle(200);
  const r = request(sent);
  q.push(r);
  expect(sent).toEqual([]);
  jest.advanceTimersByTime(199);
  expect(sent).toEqual([]);
  jest.advanceTimersByTime(1);
  expect(sent).toEqual([r.entry.correlationId]);
  expect(jest.getTimerCount()).toBe(0);
});

it('sends the queued requests of a full queue as responses arrive', () => {
  const q = queue(1);
  const sent: number[] = [];
  const [a, b, c] = [request(sent), request(sent), request(sent)];
  q.push(a);
  q.push(b);
  q.push(c);
  expect(sent).toEqual([a.entry.correlationId]);
  q.fulfillRequest({
    correlationId: a.entry.correlationId,
    payload: Buffer.alloc(0),
    size: 0,
  });
  expect(sent).toEqual([a.entry.correlationId, b.entry.correlationId]);
  q.fulfillRequest({
    correlationId: b.entry.correlationId,
    payload: Buffer.alloc(0),
    size: 0,
  });
  q.fulfillRequest({
    correlationId: c.entry.correlationId,
    payload: Buffer.alloc(0),
    size: 0,
  });
  expect(sent).toEqual([a, b, c].map((r) => r.entry.correlationId));
  jest.runOnlyPendingTimers();
  expect(jest.getTimerCount()).toBe(0);
});
