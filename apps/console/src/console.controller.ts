import { All, Controller, Get, Header, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsolePage, CONSOLE_PAGE } from './page';
import { MethodNotForwardedError, UnknownServiceError } from './console.errors';
import { isService, ServiceStatus, Upstreams } from './upstreams';

const FORWARDED_METHODS = new Set(['GET', 'POST', 'PUT']);

/**
 * The console's HTTP surface: the page (/, /console.js, /console.css), the services' statuses
 * (/api/services) and /api/<service>/<path>, which forwards to that service's public API — the
 * page's only way to the system. A service that does not answer gives 502 SERVICE_UNREACHABLE;
 * every answer of a service (4xx included) is passed back unchanged, so the page shows its code.
 */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(
    private readonly upstreams: Upstreams,
    @Inject(CONSOLE_PAGE) private readonly page: ConsolePage,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  index(): string {
    return this.page.html;
  }

  @Get('console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-store')
  script(): string {
    return this.page.script();
  }

  @Get('console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'no-store')
  styles(): string {
    return this.page.css;
  }

  /** The console itself is up when it answers; the services' health is /api/services. */
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('api/services')
  services(): Promise<ServiceStatus[]> {
    return this.upstreams.statuses();
  }

  @All('api/:service/*')
  async forward(@Param('service') service: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!isService(service)) throw new UnknownServiceError(service);
    if (!FORWARDED_METHODS.has(req.method)) throw new MethodNotForwardedError(req.method);
    const path = req.url.slice(`/api/${service}`.length);
    const payload = req.method === 'GET' ? undefined : (req.body ?? {});
    const answer = await this.upstreams.forward(service, req.method, path, payload, req.headers.accept);
    if (answer.kind === 'body') {
      await reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
      return;
    }
    // server-sent events: relayed as they come until the page or the service goes
    const { body: events, abort } = answer;
    reply.hijack();
    reply.raw.writeHead(answer.status, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    req.raw.on('close', abort);
    events.on('error', () => reply.raw.end());
    events.pipe(reply.raw);
  }
}
