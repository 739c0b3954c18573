import { createTestStack, TestStack } from '../../../test/harness';
import { CouponModule } from '../src/coupon.module';
import { call, claim, expectInvariants, setupCoupon, waitTerminal } from './coupon-test-kit';

describe('coupon API (real MySQL + Kafka)', () => {
  let stack: TestStack;
  let url: string;
  let operator: { token: string };
  const as = (userId: number | string) => ({ token: stack.token(userId) });

  beforeAll(async () => {
    stack = await createTestStack('coupon-api', { COUPON_CLAIM_PARTITIONS: '3' });
    url = (await stack.start('coupon', CouponModule)).url;
    operator = { token: stack.operatorToken };
  });
  afterAll(() => stack?.close());

  it('creates users, vendors and coupons, with the shapes the README walk-through shows', async () => {
    expect(await call(url, 'POST', '/users', { name: 'ann' })).toMatchObject({ status: 201, body: { id: expect.any(Number), name: 'ann' } });
    expect((await call(url, 'POST', '/users/random')).body).toEqual({ id: expect.any(Number), name: expect.any(String) });
    const vendor = await call(url, 'POST', '/vendors/random', undefined, operator);
    expect(vendor).toMatchObject({ status: 201, body: { id: expect.any(Number), balance: 0 } });
    const coupon = await call(url, 'POST', '/coupons', { type: 'WELCOME', value: 1000, vendorId: vendor.body.id }, operator);
    expect(coupon).toMatchObject({ status: 201, body: { type: 'WELCOME', value: 1000, total: 100, issued: 0, vendorId: vendor.body.id } });
    expect((await call(url, 'GET', `/coupons/${coupon.body.id}`)).body).toMatchObject({ remaining: 100 });
    const random = await call(url, 'POST', '/coupons/random', {}, operator);
    expect(random).toMatchObject({ status: 201, body: { total: 100, issued: 0, vendorId: expect.any(Number) } });
    expect((await call(url, 'GET', `/vendors/${random.body.vendorId}`, undefined, operator)).status).toBe(200);
  });

  it('answers unknown ids and malformed input with clear 4xx codes, writing nothing', async () => {
    const { couponId, userIds } = await setupCoupon(url, stack.operatorToken, 1);
    const user = stack.token(userIds[0]);
    const cases: [string, string, unknown, string, number, string][] = [
      // the claiming user is the token's subject
      ['POST', `/coupons/${couponId}/claims`, undefined, stack.token(999_999), 404, 'USER_NOT_FOUND'],
      ['POST', `/coupons/999999/claims`, undefined, user, 404, 'COUPON_NOT_FOUND'],
      ['POST', `/coupons/${couponId}/claims`, undefined, stack.token('not-a-user-id'), 403, 'FORBIDDEN'],
      ['POST', `/coupons/${couponId}/claims/async`, undefined, stack.operatorToken, 403, 'FORBIDDEN'],
      // a body naming a user is refused, even the token's own
      ['POST', `/coupons/${couponId}/claims`, { userId: userIds[0] }, user, 400, 'VALIDATION_FAILED'],
      ['POST', `/coupons/${couponId}/claims`, { userId: 'x' }, user, 400, 'VALIDATION_FAILED'],
      ['POST', `/coupons/${couponId}/claims/async`, { userId: userIds[0] }, user, 400, 'VALIDATION_FAILED'],
      ['POST', `/coupons/${couponId}/claims`, [], user, 400, 'VALIDATION_FAILED'],
      ['POST', `/coupons/abc/claims`, undefined, user, 400, 'VALIDATION_FAILED'],
      ['POST', `/coupons/0/claims/async`, undefined, user, 400, 'VALIDATION_FAILED'],
      ['GET', `/claims/not-a-uuid`, undefined, user, 400, 'VALIDATION_FAILED'],
      ['GET', `/claims/01890000-0000-7000-8000-000000000000`, undefined, user, 404, 'CLAIM_NOT_FOUND'],
      ['GET', `/coupons/999999`, undefined, '', 404, 'COUPON_NOT_FOUND'],
      ['GET', `/vendors/999999`, undefined, stack.operatorToken, 404, 'VENDOR_NOT_FOUND'],
      ['POST', `/coupons`, { type: 'X', value: 1, vendorId: 999_999 }, stack.operatorToken, 404, 'VENDOR_NOT_FOUND'],
      ['GET', `/users/999999/coupons`, undefined, stack.operatorToken, 404, 'USER_NOT_FOUND'],
      ['GET', `/users/999999/coupons`, undefined, stack.token(999_999), 404, 'USER_NOT_FOUND'],
    ];
    for (const [method, path, body, token, status, code] of cases) {
      const res = await call(url, method, path, body, { token });
      expect({ method, path, body, status: res.status, code: res.body?.code }).toEqual({ method, path, body, status, code });
    }
    expect(await stack.prisma.claim.count({ where: { couponId } })).toBe(0);
    expect(await stack.prisma.userCoupon.count()).toBe(0);
  });

  it('answers a claim whose body is cut-off JSON with 400 MALFORMED_JSON, writing nothing', async () => {
    const { couponId, userIds } = await setupCoupon(url, stack.operatorToken, 1);
    // sent as application/json, so the body parser (not validation) rejects it
    expect(await call(url, 'POST', `/coupons/${couponId}/claims`, '{"userId":', as(userIds[0]))).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
    expect(await stack.prisma.claim.count({ where: { couponId } })).toBe(0);
    expect(await stack.prisma.userCoupon.count({ where: { couponId } })).toBe(0);
  });

  it('rejects queued claims of unknown users and coupons with a reason', async () => {
    const { couponId, userIds } = await setupCoupon(url, stack.operatorToken, 1);
    // a token whose subject is a user id that does not exist: accepted, then rejected by the consumer
    const unknownUser = await claim(url, couponId, stack.token(999_999), 'queued');
    const unknownCoupon = await claim(url, 999_999, stack.token(userIds[0]), 'queued');
    expect(unknownUser).toMatchObject({ status: 202, body: { status: 'PENDING' } });
    const final = async (id: string) => {
      for (;;) {
        const r = await call(url, 'GET', `/claims/${id}`, undefined, operator);
        if (r.body.status !== 'PENDING') return r.body;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    expect(await final(unknownUser.body.claimId)).toEqual({
      claimId: unknownUser.body.claimId, userId: 999_999, couponId, path: 'KAFKA', status: 'REJECTED', reason: 'USER_NOT_FOUND',
    });
    expect(await final(unknownCoupon.body.claimId)).toMatchObject({ status: 'REJECTED', reason: 'COUPON_NOT_FOUND' });
    await expectInvariants(stack.prisma, couponId);
  });

  it('claims synchronously, refuses a second claim, lists the user\'s coupons and settles the vendor', async () => {
    const { couponId, vendorId, userIds } = await setupCoupon(url, stack.operatorToken, 1, 100, 1234);
    const other = (await call(url, 'POST', '/coupons', { type: 'BIRTHDAY', value: 66, vendorId }, operator)).body;
    const userId = userIds[0];
    const me = as(userId);
    const first = await claim(url, couponId, me.token);
    expect(first).toEqual({ status: 201, body: { claimId: expect.any(String), status: 'ISSUED' } });
    expect((await call(url, 'POST', `/coupons/${couponId}/claims`, {}, me)).body.code).toBe('COUPON_ALREADY_CLAIMED');
    expect((await call(url, 'GET', `/claims/${first.body.claimId}`, undefined, me)).body).toEqual({
      claimId: first.body.claimId, userId, couponId, path: 'SYNC', status: 'ISSUED',
    });
    const queued = await claim(url, other.id, me.token, 'queued');
    await waitTerminal(stack.prisma, other.id);
    expect((await call(url, 'GET', `/claims/${queued.body.claimId}`, undefined, me)).body.status).toBe('ISSUED');

    const page1 = await call(url, 'GET', `/users/${userId}/coupons?limit=1`, undefined, me);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0].coupon).toMatchObject({ id: other.id, type: 'BIRTHDAY', vendor: { id: vendorId } });
    const page2 = await call(url, 'GET', `/users/${userId}/coupons?limit=1&cursor=${page1.body.nextCursor}`, undefined, me);
    expect(page2.body).toMatchObject({ items: [{ coupon: { id: couponId } }], nextCursor: null });
    expect((await call(url, 'GET', `/users/${userId}/coupons?type=WELCOME`, undefined, me)).body.items).toHaveLength(1);
    expect((await call(url, 'GET', `/users/${userId}/coupons?vendorId=999999`, undefined, operator)).body.items).toHaveLength(0);

    const settlement = (await call(url, 'GET', `/vendors/${vendorId}/settlement`, undefined, operator)).body;
    expect(settlement).toMatchObject({ vendorId, balance: 1300, totals: { issued: 2, userCoupons: 2, payout: 1300 }, balanced: true });
    expect((await call(url, 'GET', `/coupons/${couponId}/audit`, undefined, operator)).body).toMatchObject({ issued: 1, userCoupons: 1, duplicates: 0 });
  });

  it('shows the consumer group with its member, assignment, offsets and lag', async () => {
    const res = await call(url, 'GET', '/ops/consumer-groups', undefined, operator);
    expect(res.status).toBe(200);
    const group = res.body.groups.find((g: { groupId: string }) => g.groupId.startsWith('coupon-service'));
    expect(group).toMatchObject({ state: 'Stable', members: [{ assignment: [{ partitions: [0, 1, 2] }] }] });
    expect(group.partitions).toHaveLength(3);
    expect(group.partitions[0]).toMatchObject({ topic: `${stack.topicPrefix}coupon.claim-requested.v1`, lag: expect.any(Number) });
  });
});
