import { spawn } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fault-run';
import { isAlive, killAndWait, listening, readPid, sleep, tail } from './proc';

export interface OwnKafkaOptions {
  /** KAFKA_HOME_DIR of scripts/kafka/start.sh: config, data, log and pid of this broker. */
  home: string;
  port: number;
  controllerPort: number;
}

/**
 * A private single-node KRaft broker started with scripts/kafka/start.sh on its own ports and
 * home, so a test may SIGKILL it without touching the broker other test runs share.
 */
export class OwnKafka {
  private starts = 0;

  constructor(readonly options: OwnKafkaOptions) {}

  get brokers(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return readPid(join(this.options.home, 'broker.pid'));
  }

  get running(): boolean {
    const pid = this.pid;
    return pid !== undefined && isAlive(pid);
  }

  /** Starts (or starts again on the same data) and resolves once the broker answers; returns the ms it took. */
  async start(): Promise<number> {
    const began = Date.now();
    // start.sh truncates broker.log: keep the log of the previous life for post-mortems
    const log = join(this.options.home, 'broker.log');
    if (existsSync(log)) renameSync(log, join(this.options.home, `broker.${this.starts}.log`));
    this.starts++;
    await this.script('start.sh');
    return Date.now() - began;
  }

  /** Sends the signal (SIGKILL by default: no shutdown, no flush) and waits until the process and its port are gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.pid;
    if (pid === undefined || !isAlive(pid)) throw new Error(`no private broker running (home ${this.options.home})`);
    if (!(await killAndWait(pid, signal, 60_000))) throw new Error(`broker ${pid} still alive 60 s after ${signal}`);
    while (await listening(this.options.port)) await sleep(50);
  }

  /** Graceful stop (scripts/kafka/stop.sh); a no-op when it is not running. */
  async stop(): Promise<void> {
    await this.script('stop.sh');
  }

  private script(name: string): Promise<void> {
    const { home, port, controllerPort } = this.options;
    return kafkaScript(
      name,
      { KAFKA_HOME_DIR: home, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort) },
      join(home, 'broker.log'),
    );
  }
}

/** Runs scripts/kafka/<name> with these variables (never an external KAFKA_BROKERS); its output and the broker log's tail on failure. */
export function kafkaScript(name: string, env: Record<string, string>, brokerLog: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(ROOT, 'scripts/kafka', name)], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`scripts/kafka/${name} exited ${code}:\n${output}\n${tail(brokerLog)}`));
    });
  });
}
