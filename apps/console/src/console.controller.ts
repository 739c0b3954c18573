import { All, Controller, Get, Header, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors, ApiTextResponse } from '@app/platform/api-responses';
import { Public } from '@app/platform/auth/auth.decorators';
import { ConsolePage, CONSOLE_PAGE } from './page';
import { MethodNotForwardedError, UnknownServiceError } from './console.errors';
import { ConsoleHealth, ServiceStatusList } from './console.dto';
import { isService, Upstreams } from './upstreams';

const FORWARDED_METHODS = new Set(['GET', 'POST', 'PUT']);

/**
 * The console's HTTP surface: the page (/, /console.js, /console.css), the services' statuses
 * (/api/services) and /api/<service>/<path>, which forwards to that service's public API — the
 * page's only way to the system. A service that does not answer gives 503 SERVICE_UNREACHABLE;
 * every answer of a service (4xx included) is passed back unchanged, so the page shows its code.
 */
@ApiTags('console')
// The page and the forwarding need no token of their own: the services check the caller's.
@Public()
@Controller()
export class ConsoleController {
  constructor(
    private readonly upstreams: Upstreams,
    @Inject(CONSOLE_PAGE) private readonly page: ConsolePage,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiTextResponse('text/html', 'The console page.')
  index(): string {
    return this.page.html;
  }

  @Get('console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiTextResponse('text/javascript', "The page's script.")
  script(): string {
    return this.page.script();
  }

  @Get('console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiTextResponse('text/css', "The page's styles.")
  styles(): string {
    return this.page.css;
  }

  /** The console itself is up when it answers; the services' health is /api/services. */
  @Get('health')
  @ApiOkResponse({ standardSchema: ConsoleHealth, description: 'The console answers.' })
  health(): ConsoleHealth {
    return { status: 'ok' };
  }

  @Get('api/services')
  @ApiOkResponse({ standardSchema: ServiceStatusList, description: "Every service's /health, read in parallel (3 s each at most)." })
  services(): Promise<ServiceStatusList> {
    return this.upstreams.statuses();
  }

  /** A passthrough: what the service answers is its own API's (see that service's /docs), not the console's. */
  @All('api/:service/*')
  @ApiParam({ name: 'path', description: 'The rest of the path at the service (its query passes too), e.g. orders/{id}.' })
  @ApiDefaultResponse({
    description:
      "The service's answer to GET, POST or PUT of the rest of the path (query included), passed back unchanged: its status, content type and body — " +
      "JSON as that service's /docs describes it, or text/event-stream when the request accepts it and the service streams.",
  })
  @ApiErrors({ 400: 'METHOD_NOT_FORWARDED (only GET, POST and PUT are)', 404: 'UNKNOWN_SERVICE', 503: 'SERVICE_UNREACHABLE: the service did not answer' })
  async forward(@Param('service') service: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!isService(service)) throw new UnknownServiceError(service);
    if (!FORWARDED_METHODS.has(req.method)) throw new MethodNotForwardedError(req.method);
    const path = req.url.slice(`/api/${service}`.length);
    const payload = req.method === 'GET' ? undefined : (req.body ?? {});
    const answer = await this.upstreams.forward(service, req.method, path, payload, req.headers.accept, req.headers.authorization);
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
