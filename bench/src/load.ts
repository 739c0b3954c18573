import autocannon from 'autocannon';
import { build, Histogram } from 'hdr-histogram-js';
import { Agent, get, request } from 'node:http';
import { Pacing } from './pacing';
import { LoadResult, Percentiles } from './types';
import { round } from './util';

/** An HDR histogram of microseconds, 1 µs to 10 minutes, 3 significant digits. */
export function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

/** Records a duration in microseconds (at least 1). */
export function recordMicros(h: Histogram, micros: number): void {
  h.recordValue(Math.max(1, Math.round(micros)));
}

/** p50 / p95 / p99 / max of a histogram of microseconds, in ms. */
export function percentiles(h: Histogram): Percentiles {
  const ms = (p: number) => round(h.getValueAtPercentile(p) / 1000, 2);
  return { p50: ms(50), p95: ms(95), p99: ms(99), max: round(h.maxValue / 1000, 2), count: h.totalCount };
}

/** "201", or "409 COUPON_SOLD_OUT" when an error body carries a code. */
function outcomeKey(status: number, body: string): string {
  if (status < 300) return String(status);
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' && code ? `${status} ${code}` : String(status);
  } catch {
    return String(status);
  }
}

export interface LoadSpec {
  port: number;
  path: string;
  /** Requests in all (or `duration` seconds in the closed model). */
  amount?: number;
  duration?: number;
  /** Closed model: keep-alive connections, each sending its next request when answered. */
  connections: number;
  /**
   * Closed model: autocannon's sampling interval (ms, default 1000). autocannon ends a run on this
   * tick, so the run's `seconds` are the time to the last answer rounded up to the next tick; a
   * run that needs its end to the millisecond (the claim flood) sets a short one.
   */
  tickMs?: number;
  /** Open model: requests per second, evenly paced (see Pacing). */
  rate?: number;
  /** The i-th request's JSON body. */
  bodyFor?: (i: number) => unknown;
  /** The i-th request's bearer token (signed beforehand: looked up, never signed, while measuring). */
  tokenFor?: (i: number) => string;
  /** The i-th request's path, when not every request goes to `path`. */
  pathFor?: (i: number) => string;
  method?: string;
  /** Open model only: called once, with the pacing's start (performance.now() ms), when the clock starts. */
  onStart?: (startMs: number) => void;
  /**
   * Open model only: checked before each send; once true, nothing more is sent and the run ends
   * when what is in flight is answered (`amount` is then a ceiling).
   */
  stopWhen?: (nowMs: number) => boolean;
  /** Open model only: every answer, with its request's due time (performance.now() ms) and latency from it (µs). */
  onAnswer?: (answer: { i: number; dueMs: number; micros: number; outcome: string }) => void;
}

/** POSTs the load: closed model with autocannon, or open model at `rate` per second. */
export function load(spec: LoadSpec): Promise<LoadResult> {
  if (spec.rate)
    return openLoad({ ...spec, rate: spec.rate, amount: spec.amount ?? Math.ceil(spec.rate * (spec.duration ?? 1)) });
  return closedLoad(spec);
}

/** Closed model (autocannon): `connections` keep-alive connections, latency per response. */
function closedLoad({
  port,
  path,
  amount,
  duration,
  connections: wanted,
  bodyFor,
  tokenFor,
  pathFor,
  tickMs,
  method = 'POST',
}: LoadSpec): Promise<LoadResult> {
  const connections = amount ? Math.min(wanted, amount) : wanted;
  return new Promise((resolve, reject) => {
    const hist = newHistogram();
    const outcomes: Record<string, number> = {};
    let i = 0;
    const started = process.hrtime.bigint();
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        ...(amount ? { amount } : {}),
        ...(duration ? { duration } : {}),
        ...(tickMs ? { sampleInt: tickMs } : {}),
        timeout: 60,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method,
            path,
            setupRequest: (req) => {
              const k = i++;
              return {
                ...req,
                ...(pathFor ? { path: pathFor(k) } : {}),
                headers: tokenFor ? { ...req.headers, authorization: `Bearer ${tokenFor(k)}` } : req.headers,
                body: bodyFor ? JSON.stringify(bodyFor(k)) : undefined,
              };
            },
            onResponse: (status, body) => {
              const k = outcomeKey(status, body);
              outcomes[k] = (outcomes[k] ?? 0) + 1;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const n = hist.totalCount;
        resolve({
          requests: n,
          seconds: round(seconds, 3),
          rps: round(n / seconds, 1),
          latencyMs: percentiles(hist),
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          outcomes,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => recordMicros(hist, responseTime * 1000));
  });
}

/**
 * Open model at a fixed rate, evenly paced (Pacing): latencyMs is measured from each request's due
 * time, serviceMs from the moment it was handed to the HTTP client.
 */
async function openLoad({
  port,
  path,
  amount,
  rate,
  bodyFor,
  tokenFor,
  pathFor,
  method = 'POST',
  onStart,
  stopWhen,
  onAnswer,
}: LoadSpec & { amount: number; rate: number }): Promise<LoadResult> {
  // Keep-alive sockets opened before the clock starts: opening hundreds at once in the first
  // second overflows the listen backlog, and a dropped SYN is retried after a whole second.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const warm = () =>
    new Promise<void>((done) => {
      get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => res.resume().on('end', () => done())).on(
        'error',
        () => done(),
      );
    });
  await Promise.all(Array.from({ length: 64 }, warm));
  const hist = newHistogram();
  const service = newHistogram();
  const outcomes: Record<string, number> = {};
  let sent = 0;
  let done = 0;
  let errors = 0;
  /** How many will be sent: `amount`, or fewer once stopWhen says so. */
  let total = amount;
  const pacing = new Pacing(performance.now(), rate, amount);
  onStart?.(pacing.start);
  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      const seconds = (performance.now() - pacing.start) / 1000;
      resolve({
        requests: hist.totalCount,
        seconds: round(seconds, 3),
        rps: round(hist.totalCount / seconds, 1),
        latencyMs: percentiles(hist),
        serviceMs: percentiles(service),
        errors,
        non2xx: Object.entries(outcomes)
          .filter(([k]) => !k.startsWith('2'))
          .reduce((n, [, v]) => n + v, 0),
        outcomes,
        model: `open, evenly paced at ${round(rate, 1)}/s`,
      });
    };
    const send = (i: number, due: number) => {
      const body = bodyFor ? JSON.stringify(bodyFor(i)) : undefined;
      const written = performance.now();
      const headers = {
        'content-type': 'application/json',
        ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        ...(tokenFor ? { authorization: `Bearer ${tokenFor(i)}` } : {}),
      };
      const target = pathFor ? pathFor(i) : path;
      const req = request({ host: '127.0.0.1', port, path: target, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const now = performance.now();
          recordMicros(hist, (now - due) * 1000);
          recordMicros(service, (now - written) * 1000);
          const k = outcomeKey(res.statusCode ?? 0, Buffer.concat(chunks).toString());
          outcomes[k] = (outcomes[k] ?? 0) + 1;
          onAnswer?.({ i, dueMs: due, micros: (now - due) * 1000, outcome: k });
          if (++done === total) finish();
        });
      });
      req.on('error', () => {
        errors++;
        if (++done === total) finish();
      });
      req.end(body);
    };
    const pump = () => {
      if (stopWhen?.(performance.now())) {
        total = sent;
        if (done === total) finish();
        return;
      }
      for (const due = pacing.dueBy(performance.now()); sent < due; sent++) send(sent, pacing.dueAt(sent));
      if (sent < total) setTimeout(pump, pacing.waitFor(sent, performance.now()));
    };
    pump();
  });
}
