// The project runs on Node.js 24 LTS, and brings it the way it brings its Kafka broker: on Linux
// x64/arm64 `npm ci` installs the official build as the optional package node-linux-<arch>
// (package.json optionalDependencies), and npm puts its `node` first on every script's PATH, so
// `npm start`, `npm test` and `npm run bench` run on it whatever `node` the machine has.
//
// ensureRuntime() is the first thing each entry script does:
//   if (!ensureRuntime()) return; // (CommonJS allows a top-level return)
// On Node >= 24 it returns true and only puts node_modules/.bin first on PATH, so children find the
// same `node`. On an older Node (a fresh clone: npm started the script before the package was
// installed; or `node scripts/start.js` run by hand) it installs the packages if they are missing,
// runs the same script again on the project's Node, exits with its status, and returns false.
// Where no such package exists (macOS, Windows) it says which Node to install and exits.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { delimiter, join } = require('node:path');

const root = join(__dirname, '..');
const REQUIRED_MAJOR = Number(readFileSync(join(root, '.nvmrc'), 'utf8').trim());
const BIN_DIR = join(root, 'node_modules', '.bin');

const majorOf = (version) => Number(version.replace(/^v/, '').split('.')[0]);

/** The project's own Node for this platform, if npm installed it. */
function bundledNode() {
  const bin = join(root, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node');
  return existsSync(bin) ? bin : undefined;
}

/** process.env with the project's bin folder (its `node`, `prisma`, `tsc`…) first on PATH. */
function envWithBin(env = process.env) {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const rest = (env[key] ?? '').split(delimiter).filter((p) => p && p !== BIN_DIR);
  return { ...env, [key]: [BIN_DIR, ...rest].join(delimiter) };
}

function tooOld(found) {
  return [
    `This project runs on Node.js ${REQUIRED_MAJOR} LTS; this is Node.js ${found} (${process.execPath}).`,
    `On Linux x64/arm64, \`npm ci\` installs Node.js ${REQUIRED_MAJOR} into node_modules (node-linux-<arch>);`,
    `elsewhere install Node.js ${REQUIRED_MAJOR} (e.g. \`nvm install\`, which reads .nvmrc) and run the command again.`,
  ].join('\n');
}

/**
 * Makes sure the calling script runs on Node >= REQUIRED_MAJOR (see the header). `install` runs
 * `node scripts/setup.js install` first when the project's Node is not installed yet.
 */
function ensureRuntime({ install = false } = {}) {
  if (majorOf(process.versions.node) >= REQUIRED_MAJOR) {
    Object.assign(process.env, envWithBin());
    return true;
  }
  let node = bundledNode();
  if (!node && install) {
    const r = spawnSync(process.execPath, [join(__dirname, 'setup.js'), 'install'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
    node = bundledNode();
  }
  if (!node) {
    console.error(tooOld(process.versions.node));
    process.exit(1);
  }
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (majorOf(version) < REQUIRED_MAJOR) {
    console.error(tooOld(version || `unknown (${node} did not run)`));
    process.exit(1);
  }
  // Same flags, same script, same arguments, on the project's Node. Ctrl-C reaches both processes
  // (one process group): this one waits for the child's graceful stop; SIGTERM is passed on.
  // STARTED_AT: when the command really began (the install above included), for `stack ready in N s`.
  const env = { ...envWithBin(), STARTED_AT: process.env.STARTED_AT || String(Math.round(Date.now() - process.uptime() * 1000)) };
  const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return false;
}

module.exports = { ensureRuntime, envWithBin, bundledNode, REQUIRED_MAJOR };
