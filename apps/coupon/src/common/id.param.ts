import { z } from 'zod';
import { ZodValidationPipe } from '@app/platform';

/** An auto-increment id in a path or body: a positive INT (MySQL INT is signed 32-bit). */
export const EntityId = z.coerce.number().int().positive().max(2_147_483_647);

/** Pipe for `:id` path parameters: 400 VALIDATION_FAILED instead of a database error. */
export const idParam = (what: string) => new ZodValidationPipe(EntityId, what);
