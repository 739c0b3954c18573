import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

// scripts/runtime.js: an entry script started by an older Node runs again on the project's Node 24
// (node_modules/node-linux-<arch>), with its flags, arguments, exit status and signals; where the
// project brings no Node, it stops with a message that says which one to install.

const ROOT = join(__dirname, '..');
const RUNTIME = join(ROOT, 'scripts', 'runtime.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script, not a module of the build
const { bundledNode, REQUIRED_MAJOR } = require(RUNTIME) as {
  bundledNode(): string | undefined;
  REQUIRED_MAJOR: number;
};

/** The machine's own `node`: the first on PATH outside any node_modules/.bin. */
function machineNode(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !d.includes('node_modules'));
  const r = spawnSync('sh', ['-c', 'command -v node'], {
    env: { ...process.env, PATH: dirs.join(delimiter) },
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
const major = (node: string) =>
  Number(
    spawnSync(node, ['-p', 'process.versions.node'], {
      encoding: 'utf8',
    }).stdout.split('.')[0],
  );
const olderNode = (() => {
  const n = machineNode();
  return n && major(n) < REQUIRED_MAJOR ? n : undefined;
})();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runtime-spec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A script that calls ensureRuntime() from `runtimeJs`, then reports where it runs. */
function fixture(runtimeJs: string, body: string): string {
  const file = join(dir, `fixture-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(
    file,
    `if (!require(${JSON.stringify(runtimeJs)}).ensureRuntime()) return;\n` +
      `const report = { version: process.versions.node, execPath: process.execPath, args: process.argv.slice(2), execArgv: process.execArgv };\n` +
      body,
  );
  return file;
}

(olderNode ? describe : describe.skip)(`started by the machine's older Node (${olderNode})`, () => {
  it('runs the script again on the project Node, with its flags and arguments, and passes its exit status on', () => {
    const script = fixture(RUNTIME, 'console.log(JSON.stringify(report)); process.exit(7);');
    const r = spawnSync(olderNode!, ['--max-semi-space-size=16', script, 'a', '--b'], { encoding: 'utf8' });
    expect(r.status).toBe(7);
    const report = JSON.parse(r.stdout.trim());
    expect(report).toEqual({
      version: expect.stringMatching(new RegExp(`^${REQUIRED_MAJOR}\\.`)),
      execPath: bundledNode(),
      args: ['a', '--b'],
      execArgv: ['--max-semi-space-size=16'],
    });
  });

  it('passes a SIGTERM on to the script, which stops in its own way', async () => {
    const script = fixture(
      RUNTIME,
      `process.on('SIGTERM', () => { console.log('stopping on ' + report.version); process.exit(0); });\n` +
        `console.log('ready'); setInterval(() => {}, 1000);`,
    );
    const child = spawn(olderNode!, [script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (d.includes('ready')) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect({ code, out: out.trim().split('\n') }).toEqual({
      code: 0,
      out: ['ready', expect.stringMatching(new RegExp(`^stopping on ${REQUIRED_MAJOR}\\.`))],
    });
  });
});

it('on the required Node, runs the script in place and puts node_modules/.bin first on PATH', () => {
  const script = fixture(
    RUNTIME,
    `console.log(JSON.stringify({ ...report, path: process.env.PATH.split(require('path').delimiter)[0] }));`,
  );
  const r = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: { ...process.env, PATH: '/usr/bin:/bin' },
  });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    execPath: process.execPath,
    path: join(ROOT, 'node_modules', '.bin'),
  });
});

it('where the project brings no Node of the required line, says which to install and stops', () => {
  // A copy of runtime.js in a project that asks for a Node line nobody has and installed none.
  const project = join(dir, 'project');
  mkdirSync(join(project, 'scripts'), { recursive: true });
  copyFileSync(RUNTIME, join(project, 'scripts', 'runtime.js'));
  writeFileSync(join(project, '.nvmrc'), '99\n');
  const script = fixture(join(project, 'scripts', 'runtime.js'), 'console.log("ran anyway");');
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(`This project runs on Node.js 99 LTS; this is Node.js ${process.versions.node}`);
  expect(r.stderr).toContain('nvm install');
});
