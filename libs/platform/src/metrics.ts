import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';
import { ApiTextResponse } from './api-responses';
import { Public } from './auth/auth.decorators';

let defaultsCollected = false;

const httpSeconds = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

/** Process metrics plus one histogram of HTTP requests, labelled by route pattern (not raw URL). */
export function instrumentHttp(fastify: FastifyInstance, app: string): void {
  if (!defaultsCollected) {
    collectDefaultMetrics({ labels: { app } });
    defaultsCollected = true;
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') {
      httpSeconds.observe({ method: request.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
    }
    done();
  });
}

@ApiTags('ops')
@Public()
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', register.contentType)
  @ApiTextResponse(register.contentType, 'Prometheus text exposition: process metrics and http_request_duration_seconds by route.')
  metrics(): Promise<string> {
    return register.metrics();
  }
}
