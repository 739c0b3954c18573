import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppName, portVariable } from '@app/config';
import { ROOT } from './fault-run';
import { freePort, sleep, tail } from './proc';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the same V8 flags npm start gives the apps
const { APP_NODE_FLAGS } = require(join(ROOT, 'scripts/node-flags.js')) as { APP_NODE_FLAGS: string[] };

// Settings of ours must come only from the test: an unknown one in the caller's shell would make
// the app refuse to start (loadEnv), a known one would silently change the scenario.
const OURS = /^((KAFKA|DATABASE|OUTBOX|ORDER|STOCK|PAYMENT|SHIPMENT|NOTIFICATION|COUPON|AUTH)_|(LOG_LEVEL|LOG_FORMAT|HOST|NODE_ENV)$)/;

export interface AppProcessOptions {
  app: AppName;
  /** Instance name in logs and pid files, e.g. `stock-2`. */
  name: string;
  /** Compiled apps: <dist>/apps/<app>/src/main.js. */
  dist: string;
  /** Log file of this instance (appended across restarts). */
  log: string;
  /** Where live pids are recorded, so the teardown can kill what a failed suite left behind. */
  pids: string;
  env: Record<string, string>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/**
 * One app as a real child process (node dist/apps/<app>/src/main.js, as `npm start` runs it) on a
 * port of its own that it keeps across restarts. kill('SIGKILL') is a real SIGKILL: no shutdown
 * hook runs. Exits the test did not ask for are recorded in unexpectedExits.
 */
export class AppProcess {
  private child?: ChildProcess;
  private exitWaiters: ((e: Exit) => void)[] = [];
  private expectingExit = false;
  private healthy = false;
  readonly unexpectedExits: Exit[] = [];
  lastExit?: Exit;

  private constructor(
    readonly options: AppProcessOptions,
    readonly port: number,
  ) {}

  /** Spawns the app and waits for /health 200. */
  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const p = await AppProcess.spawn(options);
    await p.waitHealthy();
    return p;
  }

  /** Spawns the app without waiting for it. */
  static async spawn(options: AppProcessOptions): Promise<AppProcess> {
    const p = new AppProcess(options, await freePort());
    p.launch();
    return p;
  }

  get name(): string {
    return this.options.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Answered /health 200 since it was last started, and has not exited. */
  get ready(): boolean {
    return this.child !== undefined && this.healthy;
  }

  private launch(): void {
    const { app, dist, log, env, name, pids } = this.options;
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OURS.test(k)));
    mkdirSync(pids, { recursive: true });
    appendFileSync(log, `\n===== ${new Date().toISOString()} starting ${name} on port ${this.port} =====\n`);
    const out = openSync(log, 'a');
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, join(dist, 'apps', app, 'src', 'main.js')], {
      cwd: ROOT,
      env: {
        ...inherited,
        NODE_ENV: 'test',
        LOG_FORMAT: 'text',
        HOST: '127.0.0.1',
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        ...env,
        [portVariable(app)]: String(this.port),
      },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    this.child = child;
    this.expectingExit = false;
    this.healthy = false;
    const pidFile = join(pids, `${name}.pid`);
    writeFileSync(pidFile, String(child.pid));
    child.once('exit', (code, signal) => {
      const exit = { code, signal, at: Date.now() };
      this.lastExit = exit;
      if (!this.expectingExit) this.unexpectedExits.push(exit);
      this.child = undefined;
      rmSync(pidFile, { force: true });
      appendFileSync(log, `===== ${new Date().toISOString()} ${name} exited (${signal ?? code}) =====\n`);
      for (const w of this.exitWaiters.splice(0)) w(exit);
    });
  }

  /**
   * Sends the signal and resolves when the process has exited. SIGTERM is the graceful stop
   * (in-flight work finishes); SIGKILL ends it at whatever instruction it is on. Other signals
   * (SIGSTOP, SIGCONT) are sent without waiting.
   */
  kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit | undefined> {
    const child = this.child;
    if (!child) return Promise.resolve(this.lastExit);
    if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
      child.kill(signal);
      return Promise.resolve(undefined);
    }
    this.expectingExit = true;
    const exited = new Promise<Exit>((resolve) => this.exitWaiters.push(resolve));
    child.kill('SIGCONT'); // a stopped process cannot act on SIGTERM
    child.kill(signal);
    return exited;
  }

  /** Stops gracefully (SIGTERM, then SIGKILL after graceMs). */
  async stop(graceMs = 20_000): Promise<void> {
    if (!this.child) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }

  /** Starts it again on the same port (after kill(); a running one is stopped gracefully first) and waits for /health 200. */
  async restart(): Promise<number> {
    if (this.child) await this.stop();
    const began = Date.now();
    this.launch();
    await this.waitHealthy();
    return Date.now() - began;
  }

  /** Polls GET /health until 200; fails at once if the process exits. Returns the ms waited. */
  async waitHealthy(timeoutMs = 120_000): Promise<number> {
    const began = Date.now();
    for (;;) {
      if (!this.child) throw new Error(`${this.name} exited (${this.lastExit?.signal ?? this.lastExit?.code}) before /health answered 200:\n${tail(this.options.log)}`);
      const status = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
      if (status === 200) {
        this.healthy = true;
        return Date.now() - began;
      }
      if (Date.now() - began > timeoutMs) throw new Error(`${this.name}: /health not 200 within ${timeoutMs} ms (last ${status}):\n${tail(this.options.log)}`);
      await sleep(250);
    }
  }
}
