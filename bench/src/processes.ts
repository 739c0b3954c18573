import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sleep } from './util';

const TAIL_LINES = 40;

/** The V8 flags `npm start` runs the apps with (scripts/node-flags.js). */
function appNodeFlags(root: string): string[] {
  const { APP_NODE_FLAGS } = createRequire(__filename)(join(root, 'scripts/node-flags.js')) as {
    APP_NODE_FLAGS: string[];
  };
  return APP_NODE_FLAGS;
}

interface Child {
  process: ChildProcess;
  tail: string[];
  /** Stopped on purpose: its exit is not a failure. */
  expected: boolean;
}

/**
 * The servers a run starts, as child processes on the bench's Node. Their full output goes to
 * <out>/logs/<name>.log (ignored by git); the last lines are kept for the error message when one
 * exits on its own, which is recorded as a failure of the run.
 */
export class Processes {
  private readonly children = new Map<string, Child>();
  private stopping = false;
  private readonly nodeFlags: string[];

  constructor(
    private readonly root: string,
    private readonly logDir: string,
    private readonly failures: string[],
  ) {
    this.nodeFlags = appNodeFlags(root);
  }

  start(name: string, args: readonly string[], env: NodeJS.ProcessEnv): void {
    const child = spawn(process.execPath, [...this.nodeFlags, ...args], {
      cwd: this.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry: Child = { process: child, tail: [], expected: false };
    mkdirSync(this.logDir, { recursive: true });
    const file = createWriteStream(join(this.logDir, `${name}.log`));
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
    const keep = (data: Buffer): void => {
      for (const line of String(data).split('\n').filter(Boolean)) {
        entry.tail.push(line);
        if (entry.tail.length > TAIL_LINES) entry.tail.shift();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      if (!this.stopping && !entry.expected) {
        console.error(`[bench] ${name} exited (${signal ?? code}); last output:\n${entry.tail.join('\n')}`);
        this.failures.push(`${name} exited unexpectedly (${signal ?? code})`);
      }
      if (this.children.get(name) === entry) this.children.delete(name);
    });
    this.children.set(name, entry);
  }

  /** Stops one server on purpose (SIGTERM: graceful) and waits for it to exit. */
  async stop(name: string): Promise<void> {
    const entry = this.children.get(name);
    if (!entry) return;
    entry.expected = true;
    await new Promise<void>((resolve) => {
      entry.process.once('exit', () => resolve());
      entry.process.kill('SIGTERM');
    });
  }

  /**
   * Waits until the server answers `path` (GET, or POST {} for the no-op endpoint, which needs a
   * bearer token: `token`) below 300.
   */
  async waitHealthy(name: string, port: number, path = '/health', token?: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const post = path === '/noop';
    while (Date.now() < deadline) {
      if (!this.children.has(name)) throw new Error(`${name} died during start-up`);
      const ok = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: post ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: post ? '{}' : undefined,
      }).then(
        (r) => r.status < 300,
        () => false,
      );
      if (ok) return;
      await sleep(300);
    }
    throw new Error(
      `${name} not healthy on :${port} after ${timeoutMs} ms:\n${this.children.get(name)?.tail.join('\n') ?? ''}`,
    );
  }

  /** CPU time (user + system, s) a running server has used so far, from /proc (Linux); undefined elsewhere. */
  cpuSeconds(name: string): number | undefined {
    const pid = this.children.get(name)?.process.pid;
    if (pid === undefined) return undefined;
    try {
      // fields 14 and 15 (utime, stime) in clock ticks of 1/100 s; the name (field 2) may hold spaces
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }

  /** Peak resident memory of every running server (MiB), from /proc (Linux). */
  peakRssMiB(): Record<string, number | undefined> {
    const out: Record<string, number | undefined> = {};
    for (const [name, entry] of this.children) {
      try {
        const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${entry.process.pid}/status`, 'utf8'));
        out[name] = hwm ? Math.round(Number(hwm[1]) / 1024) : undefined;
      } catch {
        out[name] = undefined;
      }
    }
    return out;
  }

  /**
   * Stops every server: SIGTERM, SIGKILL after 15 s. `expected`: a stop on purpose in the middle of
   * the run (servers started later are watched again); otherwise the run is ending.
   */
  async stopAll({ expected = false }: { expected?: boolean } = {}): Promise<void> {
    if (expected) for (const entry of this.children.values()) entry.expected = true;
    else this.stopping = true;
    await Promise.all(
      [...this.children.values()].map(
        ({ process: child }) =>
          new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, 15_000).unref();
          }),
      ),
    );
  }
}
