import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { classifyFailure } from '@app/kafka';
import { assertUnreachable, DomainError, ErrorKind } from './domain-error';

const STATUS: Record<ErrorKind, number> = { INVALID: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITED: 429, UNAVAILABLE: 503 };

/** The body of every 4xx/5xx answer (except /health's 503, which is its report); named ErrorBody in /docs. */
export const ErrorBody = z
  .object({
    code: z.string().describe('Stable: clients switch on it (e.g. ORDER_NOT_FOUND, VALIDATION_FAILED, DEPENDENCY_UNAVAILABLE).'),
    message: z.string(),
    details: z.unknown().optional().describe('VALIDATION_FAILED: one { path, message } per issue; otherwise what the code needs, if anything.'),
    errorId: z.uuid().optional().describe('500 INTERNAL_ERROR only: the id logged with the error.'),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * The one place errors become HTTP answers: {code, message, details?}; an unavailable database or
 * broker is a 503 DEPENDENCY_UNAVAILABLE; unknown errors are 500s with a logged id.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('HttpErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.toResponse(error);
    void reply.status(status).send(body);
  }

  private toResponse(error: unknown): [number, ErrorBody] {
    if (error instanceof DomainError) {
      return [statusOf(error.kind), { code: error.code, message: error.message, details: error.details }];
    }
    if (error instanceof HttpException) return fromHttpException(error);
    const fastify = error as { statusCode?: number; code?: string; message?: string };
    if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      return [fastify.statusCode, { code: fastifyCode(fastify.code, fastify.statusCode), message: fastify.message ?? 'bad request' }];
    }
    if (classifyFailure(error) === 'infrastructure') {
      // the database or the broker is unavailable: nothing was accepted, trying again later is safe
      this.log.warn(`dependency unavailable: ${(error as Error)?.message?.split('\n').filter(Boolean).pop() ?? String(error)}`);
      return [503, { code: 'DEPENDENCY_UNAVAILABLE', message: 'a dependency (database or broker) is unavailable; try again' }];
    }
    const errorId = randomUUID();
    this.log.error(`unhandled error ${errorId}: ${(error as Error)?.stack ?? String(error)}`);
    return [500, { code: 'INTERNAL_ERROR', message: 'internal error', errorId }];
  }
}

function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'INVALID':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'RATE_LIMITED':
    case 'CONFLICT':
    case 'UNAVAILABLE':
      return STATUS[kind];
    default:
      return assertUnreachable(kind);
  }
}

function fromHttpException(error: HttpException): [number, ErrorBody] {
  const status = error.getStatus();
  return [status, { code: httpCode(status, error.message), message: error.message }];
}

function httpCode(status: number, message: string): string {
  // Nest turns Fastify's body-parser errors into plain HttpExceptions (dropping Fastify's code),
  // so the JSON ones are recognised by their message.
  if (status === 400 && /JSON|application\/json/.test(message)) return 'MALFORMED_JSON';
  if (status === 404) return 'ROUTE_NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  return status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR';
}

/** Fastify's own request errors (malformed JSON, body too large…) get stable codes too. */
function fastifyCode(code: string | undefined, status: number): string {
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'MALFORMED_JSON';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return 'PAYLOAD_TOO_LARGE';
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  return 'BAD_REQUEST';
}
