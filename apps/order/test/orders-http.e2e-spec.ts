import { Topic } from '@app/events';
import { topicName } from '@app/kafka';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { OrderModule } from '../src/order.module';

describe('order HTTP API: validation and queries', () => {
  let stack: TestStack;
  let url: string;

  const auth = (userId: string) => ({ authorization: `Bearer ${stack.token(userId)}` });
  /** POST /orders as `userId`: the token's subject is the order's user. */
  const post = (body: string, userId = 'u-1') => fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(userId) }, body });
  /** GET a path of the order API as `userId`, or as the operator. */
  const get = (path: string, as: string | { operator: true } = 'u-1') =>
    fetch(`${url}${path}`, { headers: typeof as === 'string' ? auth(as) : { authorization: `Bearer ${stack.operatorToken}` } });
  type Page = { items: { id: string; count: number; userId: string | null }[]; nextCursor: string | null };

  beforeAll(async () => {
    stack = await createTestStack('orders-http');
    // HTTP only: no consumer, so orders stay PENDING and the outbox keeps what they emitted
    ({ url } = await stack.start('order', OrderModule, { consume: false }));
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** The value of the OrderCreated message keyed by this order id, if it is on the topic. */
  const readEvent = async (id: string): Promise<string | undefined> => {
    const topic = topicName(stack.topicPrefix, Topic.OrderCreated);
    const ends = await stack.admin.fetchTopicOffsets(topic);
    const total = ends.reduce((n, p) => n + Number(p.high), 0);
    if (total === 0) return undefined;
    const consumer = stack.kafka.consumer({ groupId: `${stack.topicPrefix}reader-${Date.now()}`, maxWaitTimeInMs: 100 });
    const found: string[] = [];
    let seen = 0;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen++;
        if (String(message.key) === id) found.push(String(message.value));
      },
    });
    await eventually('the topic read to its end', async () => (seen >= total ? true : undefined), 10_000).catch(() => undefined);
    await consumer.disconnect();
    return found[0];
  };

  it.each([
    ['missing kind', { count: 1 }, 'VALIDATION_FAILED', /kind/],
    ['missing count', { kind: 'apple' }, 'VALIDATION_FAILED', /count/],
    ['zero count', { kind: 'apple', count: 0 }, 'VALIDATION_FAILED', /count/],
    ['negative count', { kind: 'apple', count: -3 }, 'VALIDATION_FAILED', /count/],
    ['fractional count', { kind: 'apple', count: 1.5 }, 'VALIDATION_FAILED', /count/],
    ['count as a string', { kind: 'apple', count: '2' }, 'VALIDATION_FAILED', /count/],
    ['absurd count', { kind: 'apple', count: 1001 }, 'VALIDATION_FAILED', /count/],
    ['bad kind', { kind: 'ap ple;drop', count: 1 }, 'VALIDATION_FAILED', /kind/],
    ['too long kind', { kind: 'a'.repeat(65), count: 1 }, 'VALIDATION_FAILED', /kind/],
    // whose order it is comes from the token, never from the body
    ['a userId in the body', { kind: 'apple', count: 1, userId: 'u-1' }, 'VALIDATION_FAILED', /userId/],
    ["someone else's userId in the body", { kind: 'apple', count: 1, userId: 'u-2' }, 'VALIDATION_FAILED', /userId/],
    ['unknown field', { kind: 'apple', count: 1, cout: 2 }, 'VALIDATION_FAILED', /cout/],
    ['an array', [{ kind: 'apple', count: 1 }], 'VALIDATION_FAILED', /object/],
  ])('400 for %s, writing nothing', async (_label, body, code, message) => {
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(400);
    const error = (await res.json()) as { code: string; message: string };
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(await stack.prisma.order.count()).toBe(0);
    expect(await stack.prisma.outboxEvent.count()).toBe(0);
  });

  it('400 MALFORMED_JSON for a body that is not JSON', async () => {
    const res = await post('{"kind": "apple", "count": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'MALFORMED_JSON' });
    expect(await stack.prisma.order.count()).toBe(0);
  });

  it('401 AUTH_REQUIRED without a token, writing nothing', async () => {
    const res = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'apple', count: 1 }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect((await fetch(`${url}/orders`)).status).toBe(401);
    expect(await stack.prisma.order.count()).toBe(0);
  });

  it("stores the token's user's order and its OrderCreated event (naming that user as its actor) together", async () => {
    const res = await post(JSON.stringify({ kind: 'apple', count: 2 }), 'u-1');
    expect(res.status).toBe(201);
    const { id, status } = (await res.json()) as { id: string; status: string };
    expect(status).toBe('PENDING');
    // the relay publishes the row at once and then deletes it: read it from the table or the topic
    const value = await eventually('the OrderCreated event in the outbox or on the topic', async () =>
      (await stack.prisma.outboxEvent.findFirst({ where: { key: id } }))?.value ?? (await readEvent(id)),
    );
    expect(JSON.parse(value)).toMatchObject({ type: 'order.created.v1', correlationId: id, actor: 'u-1', payload: { orderId: id, kind: 'apple', count: 2, userId: 'u-1' } });
    const order = (await (await get(`/orders/${id}`, 'u-1')).json()) as Record<string, unknown>;
    expect(order).toMatchObject({ id, kind: 'apple', count: 2, userId: 'u-1', status: 'PENDING', reason: null, amount: null });
    expect(order.history).toEqual([expect.objectContaining({ status: 'PENDING', step: 'ORDER_CREATED' })]);
  });

  it("404 ORDER_NOT_FOUND for an unknown id and for another user's order (the operator sees it), 400 for a malformed id", async () => {
    const missing = await get('/orders/01900000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect((await get('/orders/nope')).status).toBe(400);
    const { id } = (await (await post(JSON.stringify({ kind: 'plum', count: 1 }), 'owner')).json()) as { id: string };
    const other = await get(`/orders/${id}`, 'not-the-owner');
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect(await (await get(`/orders/${id}`, { operator: true })).json()).toMatchObject({ id, userId: 'owner' });
  });

  it('lists with filters and a stable cursor, newest first', async () => {
    for (let i = 0; i < 5; i++) await post(JSON.stringify({ kind: 'pear', count: i + 1 }), 'lister');
    await post(JSON.stringify({ kind: 'pear', count: 1 }), 'someone-else');
    const seen: { id: string; count: number }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `kind=pear&userId=lister&status=PENDING&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await get(`/orders?${query}`, { operator: true })).json()) as Page;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((o) => o.count)).toEqual([5, 4, 3, 2, 1]);
    expect(new Set(seen.map((o) => o.id)).size).toBe(5);
    const none = (await (await get('/orders?kind=pear&from=2999-01-01T00:00:00Z', { operator: true })).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);
  });

  it("a user lists its own orders only; naming another user's is 403 FORBIDDEN; the operator lists everyone's", async () => {
    const own = (await (await get('/orders?kind=pear&limit=100', 'lister')).json()) as Page;
    expect(own.items.map((o) => o.userId)).toEqual(Array(5).fill('lister'));
    expect(((await (await get('/orders?kind=pear&userId=lister&limit=100', 'lister')).json()) as Page).items).toHaveLength(5);
    const forbidden = await get('/orders?userId=someone-else', 'lister');
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'FORBIDDEN' });
    const all = (await (await get('/orders?kind=pear&limit=100', { operator: true })).json()) as Page;
    expect(new Set(all.items.map((o) => o.userId))).toEqual(new Set(['lister', 'someone-else']));
  });

  it.each([['limit=0'], ['limit=101'], ['status=LOST'], ['cursor=bm9wZQ'], ['from=yesterday'], ['sort=id']])('400 for the query %s', async (query) => {
    const res = await get(`/orders?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
