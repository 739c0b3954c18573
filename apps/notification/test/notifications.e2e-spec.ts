import { createEnvelope, encodeEvent, newId, Topic } from '@app/events';
import { topicName } from '@app/kafka';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { NotificationModule } from '../src/notification.module';

describe('notification service: timeline and live stream', () => {
  let stack: TestStack;
  let url: string;
  /** The notification API is the operator's. */
  const get = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${stack.operatorToken}` } });

  beforeAll(async () => {
    stack = await createTestStack('notification');
    ({ url } = await stack.start('notification', NotificationModule));
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function produce(...envelopes: ReturnType<typeof createEnvelope>[]) {
    const producer = stack.kafka.producer();
    await producer.connect();
    for (const e of envelopes) await producer.send({ topic: topicName(stack.topicPrefix, e.type), messages: [encodeEvent(e)] });
    await producer.disconnect();
  }

  it('streams stored notifications of one order as server-sent events', async () => {
    const orderId = newId();
    const abort = new AbortController();
    const res = await get(`/notifications/stream?orderId=${orderId}`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const created = createEnvelope(Topic.OrderCreated, { orderId, kind: 'apple', count: 2, userId: null }, { producer: 'test' });
    await produce(createEnvelope(Topic.OrderCreated, { orderId: newId(), kind: 'pear', count: 1, userId: null }, { producer: 'test' }), created);
    let text = '';
    while (!text.includes(created.eventId)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    expect(text).toContain('event: notification');
    expect(text).toContain(`id: ${created.eventId}`);
    expect(text).toContain(`order ${orderId}: created (2 x apple) -> PENDING`);
    expect(text).not.toContain('pear');
  });

  it('keeps a per-claim timeline for coupon events too, once per event', async () => {
    const claimId = newId();
    const requested = createEnvelope(Topic.CouponClaimRequested, { claimId, couponId: 7, userId: 9 }, { producer: 'test' });
    const issued = createEnvelope(Topic.CouponClaimIssued, { claimId, couponId: 7, userId: 9, vendorId: 3, value: 500, path: 'KAFKA' }, { producer: 'test' });
    await produce(requested, issued, issued);
    const timeline = await eventually('the claim timeline', async () => {
      const rows = (await (await get(`/notifications?claimId=${claimId}`)).json()) as { status: string }[];
      return rows.length >= 2 ? rows : undefined;
    });
    expect(timeline.map((n) => n.status).sort()).toEqual(['ISSUED', 'REQUESTED']);
    expect(await stack.prisma.notification.count({ where: { eventId: issued.eventId } })).toBe(1);
  });

  it('400 without exactly one of orderId, claimId', async () => {
    expect((await get('/notifications')).status).toBe(400);
    expect((await get(`/notifications?orderId=${newId()}&claimId=${newId()}`)).status).toBe(400);
  });

  it("is the operator's: 401 without a token, 403 with a user's", async () => {
    const orderId = newId();
    for (const path of [`/notifications?orderId=${orderId}`, `/notifications/stream?orderId=${orderId}`]) {
      const anonymous = await fetch(`${url}${path}`);
      expect({ path, status: anonymous.status, body: await anonymous.json() }).toMatchObject({ path, status: 401, body: { code: 'AUTH_REQUIRED' } });
      const user = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${stack.token('u-1')}` } });
      expect({ path, status: user.status, body: await user.json() }).toMatchObject({ path, status: 403, body: { code: 'FORBIDDEN' } });
    }
  });
});
