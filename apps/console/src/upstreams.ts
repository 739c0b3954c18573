import { Readable } from 'node:stream';
import { ConsoleEnv, SERVICES, ServiceName, serviceUrls } from '@app/config';
import { DomainError } from '@app/platform/domain-error';
import { ServiceStatus, ServiceStatusList } from './console.dto';

/** An answer of a service, relayed as it is; `stream` for server-sent events. */
export type Forwarded =
  | { kind: 'body'; status: number; contentType: string; body: Buffer }
  | { kind: 'stream'; status: number; body: Readable; abort: () => void };

/** The service did not answer (refused, reset, timed out): 503, and the page shows it as down. */
export class ServiceUnreachableError extends DomainError {
  readonly code = 'SERVICE_UNREACHABLE';
  readonly kind = 'UNAVAILABLE';
  constructor(service: ServiceName, url: string, cause: unknown) {
    super(`${service} is not answering at ${url}: ${(cause as Error)?.cause ? String((cause as Error).cause) : ((cause as Error)?.message ?? String(cause))}`, { service });
  }
}

// An app answers /health within about 2 s even when its database or broker hangs (its probes are
// bounded: PROBE_TIMEOUT_MS); waiting longer than that tells "down" from "not answering at all".
const STATUS_TIMEOUT_MS = 3000;
const FORWARD_TIMEOUT_MS = 15_000;

export const isService = (name: string): name is ServiceName => (SERVICES as readonly string[]).includes(name);

/**
 * The services' public HTTP APIs, as the console reaches them. It forwards a call to one service
 * (path and query as given, JSON body, the answer's status and body back unchanged) and reads every
 * service's /health. Nothing else: no database, no Kafka client.
 */
export class Upstreams {
  readonly urls: Record<ServiceName, string>;

  constructor(env: ConsoleEnv) {
    this.urls = serviceUrls(env);
  }

  /** Where `path` (with its query) of `service` is; refuses anything that would leave the service. */
  target(service: ServiceName, path: string): URL {
    const base = new URL(this.urls[service]);
    const url = new URL(path.startsWith('/') ? path : `/${path}`, base);
    if (url.origin !== base.origin) throw new Error(`not a path of ${service}: ${path}`);
    return url;
  }

  /** `authorization`: the caller's header, passed on as it is (the service decides who may do what). */
  async forward(service: ServiceName, method: string, path: string, body: unknown, accept?: string, authorization?: string): Promise<Forwarded> {
    const url = this.target(service, path);
    const controller = new AbortController();
    const sse = accept?.includes('text/event-stream') ?? false;
    // a stream stays open until the page goes; a plain call gets a deadline
    const timer = sse ? undefined : setTimeout(() => controller.abort(new Error('no answer within 15 s')), FORWARD_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        signal: controller.signal,
        headers: {
          accept: accept ?? 'application/json',
          ...(authorization ? { authorization } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      clearTimeout(timer);
      throw new ServiceUnreachableError(service, this.urls[service], error);
    }
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    if (sse && res.ok && contentType.includes('text/event-stream') && res.body) {
      return { kind: 'stream', status: res.status, body: Readable.fromWeb(res.body), abort: () => controller.abort() };
    }
    try {
      return { kind: 'body', status: res.status, contentType, body: Buffer.from(await res.arrayBuffer()) };
    } catch (error) {
      throw new ServiceUnreachableError(service, this.urls[service], error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every service's /health, in parallel, each bounded to 3 s. */
  statuses(): Promise<ServiceStatusList> {
    return Promise.all(SERVICES.map((name) => this.status(name)));
  }

  private async status(name: ServiceName): Promise<ServiceStatus> {
    const url = this.urls[name];
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
      if (res.ok) return { name, url, status: 'up' };
      const report = (await res.json().catch(() => ({}))) as { status?: string };
      return { name, url, status: report.status === 'starting' ? 'starting' : 'down', reason: `/health answered ${res.status}` };
    } catch (error) {
      return { name, url, status: 'unreachable', reason: (error as Error)?.message ?? String(error) };
    }
  }
}
