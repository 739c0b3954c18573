#!/usr/bin/env node
// Checks an install in the current folder and exits 1 with a message naming what is wrong.
// npm can exit 0 after failing to fetch packages ("Exit handler never called!"), and the build then
// breaks a step later with `prisma: not found`; the Dockerfile runs this right after each install so
// such a build stops at the install, saying so. Node built-ins only (it runs before anything else).
//
//   node scripts/check-install.js tree [--omit=dev] [--omit=optional] [--bin=prisma,tsc]
//     node_modules holds every package of package-lock.json that `npm ci` with the same --omit flags
//     installs on this platform, at the locked version, and none that those flags leave out; each
//     --bin is an executable in node_modules/.bin.
//   node scripts/check-install.js requires DIR...
//     every package that the compiled JavaScript under DIR requires resolves from where it is
//     required (what a runtime image must hold for its apps to start).
'use strict';
const { accessSync, constants, existsSync, readdirSync, readFileSync } = require('node:fs');
const { builtinModules } = require('node:module');
const { dirname, join, relative } = require('node:path');

const root = process.cwd();
const SHOWN = 15;

function fail(lines) {
  console.error(`check-install: ${lines.join('\n  ')}`);
  process.exit(1);
}
const listed = (items) => items.slice(0, SHOWN).join(', ') + (items.length > SHOWN ? `, … (${items.length - SHOWN} more)` : '');

// npm's platform rule: a list of allowed values, `!x` excluding one; empty allows all.
function allows(list, value) {
  const values = [].concat(list ?? []);
  if (values.includes(`!${value}`)) return false;
  const allowed = values.filter((v) => !v.startsWith('!'));
  return allowed.length === 0 || allowed.includes(value);
}
const libc = process.platform !== 'linux' ? undefined : process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
const fitsPlatform = (entry) =>
  allows(entry.os, process.platform) && allows(entry.cpu, process.arch) && (libc === undefined || allows(entry.libc, libc));

function tree(args) {
  const omit = new Set(args.filter((a) => a.startsWith('--omit=')).map((a) => a.slice('--omit='.length)));
  const bins = args.filter((a) => a.startsWith('--bin=')).flatMap((a) => a.slice('--bin='.length).split(',')).filter(Boolean);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const left = (e) =>
    (e.dev && omit.has('dev')) ||
    (e.optional && omit.has('optional')) ||
    (e.devOptional && omit.has('dev') && omit.has('optional')) ||
    (e.peer && omit.has('peer'));
  const missing = [];
  const unwanted = [];
  let expected = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || entry.link) continue;
    const manifest = join(root, path, 'package.json');
    if (left(entry)) {
      if (existsSync(manifest)) unwanted.push(path.slice('node_modules/'.length));
      continue;
    }
    // an optional package for another OS, CPU or C library is not installed here
    if (entry.optional && !fitsPlatform(entry)) continue;
    expected++;
    const name = path.slice('node_modules/'.length);
    let version;
    try {
      version = JSON.parse(readFileSync(manifest, 'utf8')).version;
    } catch {
      missing.push(`${name}@${entry.version} (missing)`);
      continue;
    }
    if (version !== entry.version) missing.push(`${name}@${entry.version} (found ${version})`);
  }
  const noBin = bins.filter((bin) => {
    try {
      accessSync(join(root, 'node_modules', '.bin', bin), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  const flags = [...omit].map((o) => `--omit=${o}`).join(' ');
  const problems = [];
  if (missing.length) problems.push(`${missing.length} of the ${expected} packages the lock lists are not installed: ${listed(missing)}`);
  if (noBin.length) problems.push(`no executable node_modules/.bin/${noBin.join(', node_modules/.bin/')}`);
  if (problems.length) {
    fail([
      `npm ci ${flags}`.trim() + ' did not install what package-lock.json lists, whatever its exit code said:',
      ...problems,
      'The install failed (a fetch from the registry, most likely); run it again. Nothing after this step can work.',
    ]);
  }
  if (unwanted.length) {
    fail([`${flags} should have left these out, but they are installed (${unwanted.length}): ${listed(unwanted)}`]);
  }
  console.log(`check-install: ${expected} packages as locked${flags ? ` (${flags})` : ''}${bins.length ? `; bin ${bins.join(', ')}` : ''}`);
}

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? jsFiles(join(dir, d.name)) : d.name.endsWith('.js') ? [join(dir, d.name)] : [],
  );
}

function requires(dirs) {
  if (dirs.length === 0) fail(['requires: name the folders of compiled JavaScript to check']);
  const builtin = new Set(builtinModules);
  const unresolved = new Map();
  let checked = 0;
  for (const file of dirs.flatMap((d) => jsFiles(join(root, d)))) {
    for (const [, , spec] of readFileSync(file, 'utf8').matchAll(/\brequire\((['"])([^'"]+)\1\)/g)) {
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtin.has(spec)) continue;
      checked++;
      try {
        require.resolve(spec, { paths: [dirname(file)] });
      } catch {
        if (!unresolved.has(spec)) unresolved.set(spec, relative(root, file));
      }
    }
  }
  if (unresolved.size) {
    fail([
      `${unresolved.size} modules the compiled code requires do not resolve here:`,
      ...[...unresolved].map(([spec, file]) => `${spec} (required by ${file})`),
    ]);
  }
  console.log(`check-install: every package required under ${dirs.join(', ')} resolves (${checked} requires)`);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'tree') tree(args);
else if (command === 'requires') requires(args);
else fail(['usage: check-install.js tree [--omit=dev] [--omit=optional] [--bin=a,b] | requires DIR...']);
