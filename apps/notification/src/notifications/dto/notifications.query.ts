import { z } from 'zod';
import { Topic } from '@app/events';

/** GET /notifications: the timeline of one order or one coupon claim. */
export const TimelineQuery = z
  .strictObject({ orderId: z.uuid().optional(), claimId: z.uuid().optional() })
  .refine((q) => (q.orderId === undefined) !== (q.claimId === undefined), 'give exactly one of orderId, claimId');
export type TimelineQuery = z.infer<typeof TimelineQuery>;

/** GET /notifications/stream: everything, or one order's / claim's events. */
export const StreamQuery = z.strictObject({ orderId: z.uuid().optional(), claimId: z.uuid().optional() });
export type StreamQuery = z.infer<typeof StreamQuery>;

/**
 * One notification: an event of the system in one readable line, tied to its order or claim (ids
 * as the events carry them: z.guid, the contracts' UUID_PATTERN, any version).
 */
export const NotificationView = z.object({
  eventId: z.guid(),
  topic: z.enum(Topic),
  orderId: z.guid().nullable(),
  claimId: z.guid().nullable(),
  couponId: z.number().int().nullable(),
  status: z.string().describe('the saga (or claim) step the event stands for, e.g. STOCK_RESERVED'),
  message: z.string(),
  actor: z.string().nullable().describe('who started the flow: the authenticated subject of the request that began it (envelope actor)'),
  occurredAt: z.iso.datetime().describe('when the event happened (its envelope)'),
  notifiedAt: z.iso.datetime().describe("when this service recorded it: the last hop of every event, as the console's timeline shows"),
});
export type NotificationView = z.infer<typeof NotificationView>;

/** GET /notifications: oldest first. */
export const NotificationList = z.array(NotificationView);
export type NotificationList = z.infer<typeof NotificationList>;
