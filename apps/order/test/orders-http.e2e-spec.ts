import { Topic } from '@app/events';
import { topicName } from '@app/kafka';
import { createTestStack, eventually, TestStack } from '../../../test/harness';
import { OrderModule } from '../src/order.module';

const post = (url: string, body: string, type = 'application/json') =>
  fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': type }, body });

describe('order HTTP API: validation and queries', () => {
  let stack: TestStack;
  let url: string;

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
    ['too long userId', { kind: 'apple', count: 1, userId: 'u'.repeat(65) }, 'VALIDATION_FAILED', /userId/],
    ['unknown field', { kind: 'apple', count: 1, cout: 2 }, 'VALIDATION_FAILED', /cout/],
    ['an array', [{ kind: 'apple', count: 1 }], 'VALIDATION_FAILED', /object/],
  ])('400 for %s, writing nothing', async (_label, body, code, message) => {
    const res = await post(url, JSON.stringify(body));
    expect(res.status).toBe(400);
    const error = (await res.json()) as { code: string; message: string };
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(await stack.prisma.order.count()).toBe(0);
    expect(await stack.prisma.outboxEvent.count()).toBe(0);
  });

  it('400 MALFORMED_JSON for a body that is not JSON', async () => {
    const res = await post(url, '{"kind": "apple", "count": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'MALFORMED_JSON' });
    expect(await stack.prisma.order.count()).toBe(0);
  });

  it('stores the order and its OrderCreated event together', async () => {
    const res = await post(url, JSON.stringify({ kind: 'apple', count: 2, userId: 'u-1' }));
    expect(res.status).toBe(201);
    const { id, status } = (await res.json()) as { id: string; status: string };
    expect(status).toBe('PENDING');
    // the relay publishes the row at once and then deletes it: read it from the table or the topic
    const value = await eventually('the OrderCreated event in the outbox or on the topic', async () =>
      (await stack.prisma.outboxEvent.findFirst({ where: { key: id } }))?.value ?? (await readEvent(id)),
    );
    expect(JSON.parse(value)).toMatchObject({ type: 'order.created.v1', correlationId: id, payload: { orderId: id, kind: 'apple', count: 2, userId: 'u-1' } });
    const order = (await (await fetch(`${url}/orders/${id}`)).json()) as Record<string, unknown>;
    expect(order).toMatchObject({ id, kind: 'apple', count: 2, userId: 'u-1', status: 'PENDING', reason: null, amount: null });
    expect(order.history).toEqual([expect.objectContaining({ status: 'PENDING', step: 'ORDER_CREATED' })]);
  });

  it('404 ORDER_NOT_FOUND and 400 for a malformed id', async () => {
    const missing = await fetch(`${url}/orders/01900000-0000-7000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect((await fetch(`${url}/orders/nope`)).status).toBe(400);
  });

  it('lists with filters and a stable cursor, newest first', async () => {
    for (let i = 0; i < 5; i++) await post(url, JSON.stringify({ kind: 'pear', count: i + 1, userId: 'lister' }));
    await post(url, JSON.stringify({ kind: 'pear', count: 1, userId: 'someone-else' }));
    const seen: { id: string; count: number }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `kind=pear&userId=lister&status=PENDING&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await fetch(`${url}/orders?${query}`)).json()) as { items: { id: string; count: number }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((o) => o.count)).toEqual([5, 4, 3, 2, 1]);
    expect(new Set(seen.map((o) => o.id)).size).toBe(5);
    const none = (await (await fetch(`${url}/orders?kind=pear&from=2999-01-01T00:00:00Z`)).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);
  });

  it.each([['limit=0'], ['limit=101'], ['status=LOST'], ['cursor=bm9wZQ'], ['from=yesterday'], ['sort=id']])('400 for the query %s', async (query) => {
    const res = await fetch(`${url}/orders?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
