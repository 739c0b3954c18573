import { ArgumentMetadata, Injectable, StandardSchemaValidationPipe, StandardSchemaValidationPipeOptions } from '@nestjs/common';
import { ValidationError } from './domain-error';

/** What the base pipe's exception factory hands back: the issues, named by `transform` below. */
type Issues = Parameters<NonNullable<StandardSchemaValidationPipeOptions['exceptionFactory']>>[0];

class SchemaIssues {
  constructor(readonly issues: Issues) {}
}

/**
 * Nest's Standard Schema pipe (the schema given as `@Body({ schema })`, `@Query({ schema })`,
 * `@Param('id', { schema })`: zod here), registered for every route by PlatformModule. A value that
 * does not fit answers 400 VALIDATION_FAILED with one `{ path, message }` per issue; a request
 * without a body is validated as `{}`, so its missing fields are named too.
 */
@Injectable()
export class SchemaValidationPipe extends StandardSchemaValidationPipe {
  constructor() {
    super({ exceptionFactory: (issues) => new SchemaIssues(issues) });
  }

  override async transform<T = unknown>(value: T, metadata: ArgumentMetadata): Promise<T> {
    try {
      return await super.transform(metadata.type === 'body' && metadata.schema ? ((value ?? {}) as T) : value, metadata);
    } catch (error) {
      if (!(error instanceof SchemaIssues)) throw error;
      const details = error.issues.map((i) => ({ path: (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.'), message: i.message }));
      const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
      const what = metadata.type === 'param' ? (metadata.data ?? 'path') : metadata.type;
      throw new ValidationError(`invalid ${what}: ${summary}`, details);
    }
  }
}
