#!/usr/bin/env node
// `npm start`: set up what is missing, then run the six apps and the console (the page at
// http://localhost:3000 over their APIs) as separate processes with prefixed logs. Ctrl-C (or SIGTERM) stops them all gracefully; if one app dies, the others are stopped too.
const { execFileSync, spawn } = require('node:child_process');
const { join } = require('node:path');
const { ensureRuntime } = require('./runtime');
const { APP_NODE_FLAGS } = require('./node-flags');
const { localDatabaseUrl } = require('./database');
const { authSecret } = require('./auth-secret');

if (!ensureRuntime({ install: true })) return; // runs again on the project's Node 24

const root = join(__dirname, '..');
const APPS = ['order', 'stock', 'payment', 'shipment', 'notification', 'coupon', 'console'];
const COLORS = [36, 33, 35, 32, 34, 31, 37];
// from the command's own start, also when scripts/runtime.js ran the install on an older Node first
const started = Number(process.env.STARTED_AT) || Math.round(Date.now() - process.uptime() * 1000);

execFileSync(process.execPath, [join(__dirname, 'setup.js')], { stdio: 'inherit' });
// setup started the project's MariaDB unless DATABASE_URL is set
const databaseUrl = process.env.DATABASE_URL || localDatabaseUrl();

// one key for every app and the console (AUTH_JWT_SECRET, or .local/auth-secret)
const secret = authSecret();

const children = new Map();
let stopping = false;
const width = Math.max(...APPS.map((a) => a.length));
const color = (i, s) => (process.stdout.isTTY ? `\x1b[${COLORS[i]}m${s}\x1b[0m` : s);

function pipe(stream, prefix, out) {
  let buffer = '';
  stream.on('data', (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) out.write(`${prefix} ${line}\n`);
  });
}

APPS.forEach((app, i) => {
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, join(root, 'dist/apps', app, 'src/main.js')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, AUTH_JWT_SECRET: secret, NODE_ENV: process.env.NODE_ENV || 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = color(i, `${app.padEnd(width)} |`);
  pipe(child.stdout, prefix, process.stdout);
  pipe(child.stderr, prefix, process.stderr);
  children.set(app, child);
  child.on('exit', (code, signal) => {
    children.delete(app);
    if (!stopping) {
      console.error(`${prefix} exited (${signal ?? code}); stopping the stack`);
      stop(1);
    } else if (children.size === 0) {
      console.log('all apps stopped');
      process.exit(exitCode);
    }
  });
});

let exitCode = 0;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  console.log('stopping all apps (graceful: in-flight messages finish, outboxes flush)…');
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(exitCode || 1);
  }, 20_000).unref();
  if (children.size === 0) process.exit(exitCode);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// Report once every /health answers 200, with the measured start-up time.
(async () => {
  const ports = { order: 3001, stock: 3002, payment: 3003, shipment: 3004, notification: 3005, coupon: 3006, console: 3000 };
  for (;;) {
    if (stopping) return;
    const results = await Promise.all(
      APPS.map((app) => {
        const port = process.env[`${app.toUpperCase()}_PORT`] || ports[app];
        return fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
      }),
    );
    if (results.every(Boolean)) {
      const consolePort = process.env.CONSOLE_PORT || ports.console;
      console.log(
        `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s: all seven /health endpoints answer 200; ` +
          `console: http://localhost:${consolePort} (Ctrl-C stops)`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
})();
