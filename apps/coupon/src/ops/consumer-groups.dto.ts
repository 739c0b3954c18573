import { z } from 'zod';
import { GroupView } from '@app/kafka';

/** GET /ops/consumer-groups: every consumer group on this stack's topics (those with topicPrefix). */
export const ConsumerGroupsView = z.object({ topicPrefix: z.string(), groups: z.array(GroupView) });
export type ConsumerGroupsView = z.infer<typeof ConsumerGroupsView>;
