import { request } from 'node:http';
import { createTestStack, TestStack } from '../../../test/harness';
import { CouponModule } from '../src/coupon.module';

// The claim routes' limits, observed: per user (both paths together) and per client address.
describe('claim rate limits (real MySQL + Kafka)', () => {
  let stack: TestStack;
  let url: string;

  const post = (path: string, token: string, body: unknown = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = async (res: Response) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { code?: string; id?: number } });
  const DELAY_MS = 150;
  const setup = async (users: number) => {
    const vendor = await json(await post('/vendors/random', stack.operatorToken));
    const coupon = await json(await post('/coupons', stack.operatorToken, { type: 'LIMIT', value: 1, total: 1000, vendorId: vendor.body.id }));
    const ids = await Promise.all(Array.from({ length: users }, async () => (await json(await fetch(`${url}/users/random`, { method: 'POST' }))).body.id!));
    return { couponId: coupon.body.id!, ids };
  };

  beforeAll(async () => {
    stack = await createTestStack('claim-rate-limit');
    url = (await stack.start('coupon', CouponModule, { env: { COUPON_CLAIM_RATE_PER_USER: '5', COUPON_CLAIM_RATE_PER_IP: '40', COUPON_CLAIM_REFUSAL_DELAY_MS: String(DELAY_MS) } })).url;
  });
  afterAll(() => stack?.close());

  it('one user sending 20 claims in a burst over both paths gets 5 answers and 15 × 429 RATE_LIMITED with Retry-After, each held the refusal delay; another user is not held up', async () => {
    const { couponId, ids } = await setup(2);
    const flooder = stack.token(ids[0]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const sent = performance.now();
        const answer = await json(await post(`/coupons/${couponId}/claims${i % 2 ? '/async' : ''}`, flooder));
        return { ...answer, ms: performance.now() - sent };
      }),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(15);
    expect(limited.every((a) => a.body.code === 'RATE_LIMITED' && Number(a.retryAfter) >= 1)).toBe(true);
    // a timer never fires before its delay (the 1 ms is the clocks' rounding)
    expect(Math.min(...limited.map((a) => a.ms))).toBeGreaterThanOrEqual(DELAY_MS - 1);
    // the other 5 reached the claim logic: one issued (sync) or accepted (queued), the rest refused as duplicates or accepted
    expect(answers.filter((a) => a.status !== 429).every((a) => [201, 202, 409].includes(a.status))).toBe(true);
    expect((await json(await post(`/coupons/${couponId}/claims`, stack.token(ids[1])))).status).toBe(201);
  });

  it('one address sending claims for 50 users in a burst gets its 40 through, the rest 429', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // a fresh one-second window
    const { couponId, ids } = await setup(50);
    const answers = await Promise.all(ids.map(async (id) => json(await post(`/coupons/${couponId}/claims`, stack.token(id)))));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(40);
    expect(answers.filter((a) => a.status === 429 && a.body.code === 'RATE_LIMITED')).toHaveLength(10);
  });

  it('a client that gives up on a held refusal leaves nothing behind: the next claims are answered as usual', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // a fresh one-second window
    const { couponId, ids } = await setup(2);
    const flooder = stack.token(ids[0]);
    // its 5 for this second, accepted (the queue refuses the duplicates later)
    const through = await Promise.all(Array.from({ length: 5 }, async () => (await post(`/coupons/${couponId}/claims/async`, flooder)).status));
    expect(through).toEqual(Array(5).fill(202));
    // node:http, one connection per request and nothing pooled: the client hangs up on each one
    const { port } = new URL(url);
    const aborted = await Promise.all(
      Array.from({ length: 10 }, () =>
        new Promise<string>((resolve) => {
          const req = request(
            { host: '127.0.0.1', port, path: `/coupons/${couponId}/claims`, method: 'POST', agent: false, headers: { authorization: `Bearer ${flooder}`, 'content-type': 'application/json' } },
            () => resolve('answered'),
          );
          req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
          req.end('{}');
          setTimeout(() => req.destroy(), DELAY_MS / 3);
        }),
      ),
    );
    expect(aborted).toEqual(Array(10).fill('ECONNRESET'));
    await new Promise((r) => setTimeout(r, DELAY_MS + 50)); // the held answers go to closed sockets
    expect((await json(await post(`/coupons/${couponId}/claims`, stack.token(ids[1])))).status).toBe(201);
    expect((await json(await post(`/coupons/${couponId}/claims`, flooder))).status).toBe(429);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});
