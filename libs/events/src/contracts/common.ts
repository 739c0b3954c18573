import { z } from 'zod';
import { UUID_PATTERN } from '../ids';

export const uuid = z.string().regex(UUID_PATTERN, 'expected a lowercase UUID');
export const sku = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -');
export const positiveInt = z.number().int().positive().max(1_000_000);
export const minorUnits = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const entityId = z.number().int().positive().max(2_147_483_647);
