import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The dependency rules of the layout (README, Layout), read from the import statements:
// - the libs form a stack: each imports only libs below it, and none imports an app;
// - an app's src imports the libs, its own files, and no other app's src (another app's client
//   side, apps/<app>/kit, is allowed: that is what it is for).
const ROOT = join(__dirname, '..');
const STACK = ['batching', 'config', 'events', 'database', 'kafka', 'platform'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' || e.name === 'node_modules' ? [] : sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports: `from '…'`, `import('…')`, `require('…')`. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)'([^']+)'/g)].map((m) => m[1]);
}

/** Where an import points inside the repository ('libs/kafka', 'apps/coupon/src', …), if it does. */
function target(file: string, spec: string): string | undefined {
  const alias = /^@app\/([a-z-]+)/.exec(spec);
  if (alias) return `libs/${alias[1]}`;
  if (!spec.startsWith('.')) return undefined;
  const [top, name, area] = relative(ROOT, resolve(dirname(file), spec)).split('/');
  return top === 'libs' ? `libs/${name}` : top === 'apps' ? `apps/${name}/${area}` : undefined;
}

describe('layers', () => {
  it.each(STACK)('libs/%s imports only libs below it in the stack, and no app', (lib) => {
    const below = new Set(STACK.slice(0, STACK.indexOf(lib)).map((l) => `libs/${l}`));
    const wrong = sources(join(ROOT, 'libs', lib, 'src')).flatMap((file) =>
      imports(file)
        .map((spec) => ({ spec, to: target(file, spec) }))
        .filter(({ to }) => to !== undefined && to !== `libs/${lib}` && !below.has(to))
        .map(({ spec }) => `${relative(ROOT, file)}: ${spec}`),
    );
    expect(wrong).toEqual([]);
  });

  it("no app's src imports another app's src", () => {
    const apps = readdirSync(join(ROOT, 'apps'));
    const wrong = apps.flatMap((app) =>
      sources(join(ROOT, 'apps', app, 'src')).flatMap((file) =>
        imports(file)
          .map((spec) => ({ spec, to: target(file, spec) }))
          .filter(({ to }) => to?.startsWith('apps/') && !to.startsWith(`apps/${app}/`) && !to.endsWith('/kit'))
          .map(({ spec }) => `${relative(ROOT, file)}: ${spec}`),
      ),
    );
    expect(wrong).toEqual([]);
  });
});
