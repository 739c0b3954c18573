import { z } from 'zod';
import { SERVICES } from '@app/config';

/** GET /health of the console: it is up when it answers (the services' health is /api/services). */
export const ConsoleHealth = z.object({ status: z.literal('ok') });
export type ConsoleHealth = z.infer<typeof ConsoleHealth>;

/** What the page sees of one service: is it answering, and is it healthy. */
export const ServiceStatus = z.object({
  name: z.enum(SERVICES),
  url: z.string(),
  status: z.enum(['up', 'starting', 'down', 'unreachable']).describe('up: /health 200; starting or down: /health answered 503 so; unreachable: no answer at all'),
  reason: z.string().optional(),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;

/** GET /api/services: every service, in SERVICES order. */
export const ServiceStatusList = z.array(ServiceStatus);
export type ServiceStatusList = z.infer<typeof ServiceStatusList>;
