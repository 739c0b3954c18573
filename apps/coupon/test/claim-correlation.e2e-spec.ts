import { Envelope, Topic } from '@app/events';
import { topicName } from '@app/kafka';
import { readTopic } from '@app/kafka/ops/read-topic';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { CouponModule } from '../src/coupon.module';
import { claim, setupCoupon, waitTerminal } from './coupon-test-kit';

// Every claim event names the request or event that caused it, read back from the topics: a sync
// claim's event is correlated by its claim id and names its user as the actor, a queued claim's
// outcome is caused by its own CouponClaimRequested, however many claims shared a transaction.
describe('claim events carry their cause (real MySQL + Kafka)', () => {
  let stack: TestStack;
  let url: string;

  const envelopes = async (topic: Topic) =>
    (await readTopic(stack.kafka, topicName(stack.topicPrefix, topic), { timeoutMs: 20_000 })).map((m) => JSON.parse(m.value!.toString()) as Envelope);
  const ofClaims = (list: Envelope[], ids: Set<string>) => list.filter((e) => ids.has((e.payload as { claimId: string }).claimId));

  beforeAll(async () => {
    stack = await createTestStack('claim-correlation');
    url = (await stack.start('coupon', CouponModule)).url;
  });
  afterAll(() => stack?.close());

  it('60 concurrent sync claims on a cap-40 coupon: each of the 40 CouponClaimIssued is correlated by its own claim id, its actor the claiming user', async () => {
    const { couponId, userIds } = await setupCoupon(url, stack.operatorToken, 60, 40);
    const answers = await Promise.all(userIds.map((userId) => claim(url, couponId, stack.token(userId))));
    const issued = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.claimId as string));
    expect(issued.size).toBe(40);
    const events = await eventually('40 CouponClaimIssued on the topic', async () => {
      const found = ofClaims(await envelopes(Topic.CouponClaimIssued), issued);
      return found.length === 40 ? found : undefined;
    });
    for (const e of events) {
      const { claimId, userId } = e.payload as { claimId: string; userId: number };
      expect(e).toMatchObject({ correlationId: claimId, causationId: null, actor: String(userId), producer: 'coupon' });
    }
  });

  it('60 queued claims on a cap-40 coupon: each outcome is caused by its own CouponClaimRequested and shares its correlation', async () => {
    const { couponId, userIds } = await setupCoupon(url, stack.operatorToken, 60, 40);
    const answers = await Promise.all(userIds.map((userId) => claim(url, couponId, stack.token(userId), 'queued')));
    const ids = new Set(answers.map((a) => a.body.claimId as string));
    expect(ids.size).toBe(60);
    await waitTerminal(stack.prisma, couponId);
    const requested = new Map(ofClaims(await envelopes(Topic.CouponClaimRequested), ids).map((e) => [e.eventId, e]));
    const outcomes = await eventually('60 outcome events on the topics', async () => {
      const found = [...ofClaims(await envelopes(Topic.CouponClaimIssued), ids), ...ofClaims(await envelopes(Topic.CouponClaimRejected), ids)];
      return found.length === 60 ? found : undefined;
    });
    expect(outcomes.filter((e) => e.type === Topic.CouponClaimIssued)).toHaveLength(40);
    for (const e of outcomes) {
      const claimId = (e.payload as { claimId: string }).claimId;
      const cause = requested.get(e.causationId ?? '');
      expect(cause?.payload).toMatchObject({ claimId });
      expect(e.correlationId).toBe(claimId);
      expect(cause?.correlationId).toBe(claimId);
      expect(e.actor).toBe(String((e.payload as { userId: number }).userId));
    }
  });
});
