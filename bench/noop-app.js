#!/usr/bin/env node
// The HTTP limit of the bench: the same Nest + Fastify stack as the apps (runApp from @app/platform,
// same env validation, error filter, metrics hook, JSON body parsing, and the same AuthGuard: the
// route is not public, so every request's bearer token is verified as a claim's is), with one route
// that does nothing else. Started by the bench (bench/src) as its own process: node bench/noop-app.js <port>
require('reflect-metadata');
const { Controller, Module, Post, HttpCode, Body } = require('@nestjs/common');
const { runApp } = require('../dist/libs/platform/src');

class NoopController {
  noop(_body) {
    return { ok: true };
  }
}
Controller()(NoopController);
const d = Object.getOwnPropertyDescriptor(NoopController.prototype, 'noop');
Body()(NoopController.prototype, 'noop', 0);
HttpCode(202)(NoopController.prototype, 'noop', d);
Post('noop')(NoopController.prototype, 'noop', d);
Object.defineProperty(NoopController.prototype, 'noop', d);

class NoopModule {}
Module({ controllers: [NoopController] })(NoopModule);

const port = Number(process.argv[2] || 3099);
runApp('coupon', NoopModule, { port, consume: false }).then(
  (app) => {
    console.log(`noop app listening on ${app.url}`);
    const stop = () => app.close().then(() => process.exit(0), () => process.exit(1));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error) => {
    console.error('noop app failed to start', error);
    process.exit(1);
  },
);
