import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The Dockerfile trusts this script to stop a build whose install came out incomplete although npm
// exited 0, and to stop a runtime image that lacks a package the apps require.

const SCRIPT = join(__dirname, 'check-install.js');
let dir: string;

const write = (path: string, content: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
};
const install = (name: string, version: string) => write(`node_modules/${name}/package.json`, JSON.stringify({ name, version }));
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'check-install-'));
  write(
    'package-lock.json',
    JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'app' },
        'node_modules/app-dep': { version: '1.0.0' },
        'node_modules/app-dep/node_modules/nested': { version: '2.0.0' },
        'node_modules/cli': { version: '3.0.0', devOptional: true, bin: { cli: 'cli.js' } },
        'node_modules/test-only': { version: '4.0.0', dev: true },
        'node_modules/other-os': { version: '5.0.0', optional: true, os: [process.platform === 'win32' ? 'linux' : 'win32'] },
      },
    }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('check-install tree', () => {
  const full = () => {
    install('app-dep', '1.0.0');
    install('app-dep/node_modules/nested', '2.0.0');
    install('cli', '3.0.0');
    install('test-only', '4.0.0');
    write('node_modules/.bin/cli', '#!/bin/sh\n');
    chmodSync(join(dir, 'node_modules/.bin/cli'), 0o755);
  };

  it("passes a complete install (another platform's optional package is not expected)", () => {
    full();
    expect(run('tree', '--bin=cli')).toMatchObject({ code: 0 });
  });

  it('fails, naming them, when packages or binaries are missing or at another version', () => {
    full();
    rmSync(join(dir, 'node_modules/app-dep/node_modules/nested'), { recursive: true });
    install('test-only', '4.0.1');
    rmSync(join(dir, 'node_modules/.bin/cli'));
    const { code, out } = run('tree', '--bin=cli');
    expect(code).toBe(1);
    expect(out).toContain('2 of the 4 packages the lock lists are not installed');
    expect(out).toContain('app-dep/node_modules/nested@2.0.0 (missing)');
    expect(out).toContain('test-only@4.0.0 (found 4.0.1)');
    expect(out).toContain('no executable node_modules/.bin/cli');
  });

  it('with --omit=dev --omit=optional, fails when a development package is still there', () => {
    install('app-dep', '1.0.0');
    install('app-dep/node_modules/nested', '2.0.0');
    expect(run('tree', '--omit=dev', '--omit=optional')).toMatchObject({ code: 0 });
    install('cli', '3.0.0'); // devOptional: omitted only when both are
    expect(run('tree', '--omit=dev')).toMatchObject({ code: 0 });
    expect(run('tree', '--omit=dev', '--omit=optional')).toMatchObject({ code: 1, out: expect.stringContaining('should have left these out, but they are installed (1): cli') });
  });
});

describe('check-install requires', () => {
  it('fails, naming the package and the file, when a required package does not resolve; built-ins and relative paths are not packages', () => {
    install('app-dep', '1.0.0');
    write('node_modules/app-dep/index.js', '');
    write('dist/a.js', `require("node:fs"); require('path'); require("./b"); require("app-dep");`);
    expect(run('requires', 'dist')).toMatchObject({ code: 0 });
    write('dist/sub/b.js', `Promise.resolve().then(() => require("gone/runtime/x.js"));`);
    expect(run('requires', 'dist')).toMatchObject({ code: 1, out: expect.stringContaining('gone/runtime/x.js (required by dist/sub/b.js)') });
  });
});
