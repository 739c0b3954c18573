import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorBody } from './http-error.filter';

/** The error statuses HttpErrorFilter answers with an ErrorBody. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;

/** Per status, the code(s) a client finds in the body, e.g. `{ 404: 'ORDER_NOT_FOUND' }`. */
export type ErrorCodes = Partial<Record<ErrorStatus, string>>;

const GENERIC: Record<ErrorStatus, string> = {
  400: 'VALIDATION_FAILED (the request does not fit its schema; details name each issue) or MALFORMED_JSON',
  401: 'AUTH_REQUIRED (no bearer token), TOKEN_INVALID or TOKEN_EXPIRED',
  403: 'FORBIDDEN: the token is valid but its role or subject does not allow this',
  404: 'not found',
  409: 'conflict',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED: too many requests from this user or address; Retry-After says when to try again',
  500: 'INTERNAL_ERROR (errorId names the logged error)',
  503: 'DEPENDENCY_UNAVAILABLE: the database or the broker is unavailable; nothing was done, try again',
};

/**
 * The error answers an endpoint can give, each an ErrorBody: a status alone is described
 * generically (400 VALIDATION_FAILED, 503 DEPENDENCY_UNAVAILABLE…), `{ status: code }` names the
 * endpoint's own codes: `@ApiErrors(400, { 404: 'ORDER_NOT_FOUND' }, 503)`. Declare only what the
 * endpoint can really answer (its *.errors.ts, the statuses of HttpErrorFilter).
 */
export function ApiErrors(...errors: (ErrorStatus | ErrorCodes)[]): MethodDecorator & ClassDecorator {
  const described = errors.flatMap((e): [string, string][] => (typeof e === 'number' ? [[String(e), GENERIC[e]]] : Object.entries(e)));
  return applyDecorators(...described.map(([status, description]) => ApiResponse({ status: Number(status), description, standardSchema: ErrorBody })));
}

/**
 * A server-sent events endpoint (`text/event-stream`): one `event: <event>` message at a time, its
 * `data:` line one `data` as JSON. The schema shown is that of one event's data.
 */
export function ApiEventStream(o: { event: string; data: z.ZodType; description: string }): MethodDecorator & ClassDecorator {
  return ApiOkResponse({
    description: `${o.description} Server-sent events: \`event: ${o.event}\`, \`data:\` one JSON value of this schema.`,
    content: { 'text/event-stream': { schema: jsonSchemaOf(o.data) } },
  });
}

/** A 200 answer that is text of `contentType` (a page, a script, Prometheus metrics), not JSON. */
export function ApiTextResponse(contentType: string, description: string): MethodDecorator & ClassDecorator {
  return ApiOkResponse({ description, content: { [contentType]: { schema: { type: 'string' } } } });
}

/** OpenAPI 3.0 of a zod schema's output, inline (a schema with an id would need the document's components). */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...converted } = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'output' });
  if ('definitions' in converted || '$defs' in converted) throw new Error('ApiEventStream: give the event data a schema without an id (it is inlined)');
  return converted;
}
