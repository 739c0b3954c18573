import { z } from 'zod';

/** GET /notifications: the timeline of one order or one coupon claim. */
export const TimelineQuery = z
  .strictObject({ orderId: z.uuid().optional(), claimId: z.uuid().optional() })
  .refine((q) => (q.orderId === undefined) !== (q.claimId === undefined), 'give exactly one of orderId, claimId');
export type TimelineQuery = z.infer<typeof TimelineQuery>;

/** GET /notifications/stream: everything, or one order's / claim's events. */
export const StreamQuery = z.strictObject({ orderId: z.uuid().optional(), claimId: z.uuid().optional() });
export type StreamQuery = z.infer<typeof StreamQuery>;
