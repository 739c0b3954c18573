import { z } from 'zod';

/** An auto-increment id in a path or body: a positive INT (MySQL INT is signed 32-bit). */
export const EntityId = z.coerce.number().int().positive().max(2_147_483_647);
