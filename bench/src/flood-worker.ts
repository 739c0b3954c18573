import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { load } from './load';
import { LoadResult } from './types';

// The flooder of the claim flood (scenarios/claim-flood.ts) in a worker thread of the bench
// process: its closed loop (autocannon, dozens of connections answered as fast as the server can)
// runs on an event loop of its own, so it does not delay the paced requests of the other users,
// whose latency is counted from their due time on the bench's main event loop.

/** What the worker is told (structured-cloneable: no functions). */
export interface FloodSpec {
  port: number;
  /** Request i goes to paths[i % paths.length]. */
  paths: string[];
  /** The flooder's bearer token, on every request. */
  token: string;
  amount: number;
  connections: number;
}

/** The flooder's load, and when it ran (epoch ms, performance.timeOrigin + performance.now(): comparable across threads). */
export interface FloodOutcome {
  result: LoadResult;
  startedAtEpochMs: number;
  endedAtEpochMs: number;
}

const FLAG = 'benchFloodWorker';

type Message = { kind: 'started' } | ({ kind: 'done' } & FloodOutcome);

/**
 * Runs the flood in a worker thread; `onStarted` is called when it starts sending (the thread and
 * its modules loaded); resolves when its last claim is answered.
 */
export function floodInWorker(spec: FloodSpec, onStarted?: () => void): Promise<FloodOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'flood-worker.js'), { workerData: { [FLAG]: true, spec } });
    let outcome: FloodOutcome | undefined;
    worker.on('message', (m: Message) => {
      if (m.kind === 'started') onStarted?.();
      else outcome = { result: m.result, startedAtEpochMs: m.startedAtEpochMs, endedAtEpochMs: m.endedAtEpochMs };
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      outcome ? resolve(outcome) : reject(new Error(`flood worker exited (${code}) without a result`)),
    );
  });
}

async function runInWorker(spec: FloodSpec, post: (m: Message) => void): Promise<void> {
  const epochNow = () => performance.timeOrigin + performance.now();
  post({ kind: 'started' });
  const startedAtEpochMs = epochNow();
  const result = await load({
    port: spec.port,
    path: spec.paths[0],
    pathFor: (i) => spec.paths[i % spec.paths.length],
    amount: spec.amount,
    connections: spec.connections,
    // ends within 10 ms of the last answer (autocannon ends a run on its tick): the flood's window and duration
    tickMs: 10,
    bodyFor: () => ({}),
    tokenFor: () => spec.token,
  });
  post({ kind: 'done', result, startedAtEpochMs, endedAtEpochMs: epochNow() });
}

const data = workerData as { [FLAG]?: boolean; spec?: FloodSpec } | null;
if (!isMainThread && parentPort && data?.[FLAG] && data.spec) {
  const port = parentPort;
  runInWorker(data.spec, (m) => port.postMessage(m)).catch((error: unknown) => {
    throw error; // the worker's 'error' event: floodInWorker rejects
  });
}
