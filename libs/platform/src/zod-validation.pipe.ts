import { PipeTransform } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { ValidationError } from './domain-error';

/** Validates (and coerces) a body, query or param with a zod schema; 400 VALIDATION_FAILED otherwise. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}

  transform(value: unknown): z.output<S> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    throw new ValidationError(`invalid ${this.what}: ${summary}`, details);
  }
}

/** OpenAPI description of a zod-validated body: the schema is the one source of truth. */
export const ApiZodBody = (schema: z.ZodType) =>
  ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object });

/** OpenAPI description of zod-validated query parameters. */
export const ApiZodQuery = (schema: z.ZodObject) =>
  applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) =>
      ApiQuery({ name, required: !(field as z.ZodType).safeParse(undefined).success, schema: z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }) as object }),
    ),
  );
