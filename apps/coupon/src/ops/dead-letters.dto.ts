import { z } from 'zod';
import { DeadLetterView } from '@app/kafka';

/** GET /ops/dead-letters: how many of the latest letters to list (1-50, default 20). */
export const DeadLettersQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(20) });
export type DeadLettersQuery = z.infer<typeof DeadLettersQuery>;

/** POST /ops/dead-letters/replay: the filters of `npm run dlq:replay` (none: every letter). */
export const ReplayBody = z.strictObject({
  group: z.string().min(1).max(255).optional(),
  topic: z.string().min(1).max(255).optional(),
  dryRun: z.boolean().default(false),
});
export type ReplayBody = z.infer<typeof ReplayBody>;

/** GET /ops/dead-letters: how many letters the dead-letter topic holds, and the latest (newest first). */
export const DeadLetterList = z.object({ topic: z.string(), count: z.number().int(), latest: z.array(DeadLetterView) });
export type DeadLetterList = z.infer<typeof DeadLetterList>;
