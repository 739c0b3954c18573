// What /docs-json must say of every operation, checked against the handlers themselves: the
// status each one really answers on success (Nest's rule: @HttpCode, else 201 for POST, 200
// otherwise) with a content schema (text/event-stream for @Sse), and an ErrorBody for each error.
import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, SSE_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';

interface MediaType {
  schema?: Record<string, unknown>;
}
interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

export const ERROR_BODY_REF = '#/components/schemas/ErrorBody';

/** How a handler answers on success, by the operation id @nestjs/swagger gives it (Controller_method). */
export interface Success {
  status: number;
  sse: boolean;
}

export function controllersOf(app: INestApplication): Type[] {
  return [...app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()].map((c) => c.metatype as Type));
}

export function successOf(controllers: Type[]): Map<string, Success> {
  const success = new Map<string, Success>();
  for (const controller of controllers) {
    const proto = controller.prototype as Record<string, object>;
    for (const key of Object.getOwnPropertyNames(proto)) {
      const handler = proto[key];
      const method = typeof handler === 'function' ? (Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) : undefined;
      if (method === undefined) continue;
      const status = (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200);
      success.set(`${controller.name}_${key}`, { status, sse: Reflect.getMetadata(SSE_METADATA, handler) === true });
    }
  }
  return success;
}

export interface CheckOptions {
  /** Operations that pass another service's answers through: a described `default` response, no schema of their own. */
  passthrough?: (path: string) => boolean;
  /** `METHOD /path status` of error answers that are not an ErrorBody (each checked on its own). */
  ownErrorBodies?: ReadonlySet<string>;
}

/** Every problem of the document (responses, and path parameters), one line each, named `METHOD /path: what is wrong`. */
export function undocumented(doc: OpenApiDocument, success: Map<string, Success>, options: CheckOptions = {}): string[] {
  const problems: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`;
      const responses = op.responses ?? {};
      for (const [, param] of path.matchAll(/\{(\w+)\}/g)) {
        if (!op.parameters?.some((p) => p.in === 'path' && p.name === param)) problems.push(`${name}: path parameter {${param}} is not declared`);
      }
      if (options.passthrough?.(path)) {
        if (!responses.default?.description || responses.default.content) problems.push(`${name}: a passthrough needs a described default response without a schema`);
      } else {
        problems.push(...successProblems(name, responses, op.operationId ? success.get(op.operationId) : undefined));
      }
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]\d\d$/.test(status) || options.ownErrorBodies?.has(`${name} ${status}`)) continue;
        if (response.content?.['application/json']?.schema?.$ref !== ERROR_BODY_REF) problems.push(`${name}: ${status} is not an ErrorBody`);
      }
    }
  }
  if (JSON.stringify(doc).includes(ERROR_BODY_REF) && !doc.components?.schemas?.ErrorBody) problems.push('components.schemas.ErrorBody is missing');
  return problems;
}

function successProblems(name: string, responses: Record<string, ResponseObject>, success: Success | undefined): string[] {
  if (!success) return [`${name}: no handler for its operation id`];
  const response = responses[success.status];
  if (!response) return [`${name}: no ${success.status} response (what it answers on success)`];
  const content = Object.entries(response.content ?? {}).filter(([, media]) => media.schema && Object.keys(media.schema).length > 0);
  if (content.length === 0) return [`${name}: the ${success.status} response has no content schema`];
  if (success.sse && !content.some(([type]) => type === 'text/event-stream')) return [`${name}: server-sent events, but ${success.status} is not text/event-stream`];
  return [];
}
