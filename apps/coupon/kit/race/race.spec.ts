import { CouponClient, DevTokensOffError, outcomeOf, pathOf, percentiles, queuedOutcomes, runRace, SIGN_IN_BATCH } from './race';

describe('coupon race', () => {
  it('sends claimant i down its path: mixed alternates, starting with sync', () => {
    expect([0, 1, 2, 3].map((i) => pathOf('mixed', i))).toEqual(['sync', 'queued', 'sync', 'queued']);
    expect(pathOf('sync', 1)).toBe('sync');
    expect(pathOf('queued', 0)).toBe('queued');
  });

  it('names each answer by its outcome, and anything else by status and code', () => {
    expect(outcomeOf('sync', { status: 201, body: { status: 'ISSUED' } })).toBe('ISSUED');
    expect(outcomeOf('queued', { status: 202, body: { status: 'PENDING' } })).toBe('PENDING');
    expect(outcomeOf('sync', { status: 409, body: { code: 'COUPON_SOLD_OUT' } })).toBe('SOLD_OUT');
    expect(outcomeOf('queued', { status: 409, body: { code: 'COUPON_ALREADY_CLAIMED' } })).toBe('ALREADY_CLAIMED');
    expect(outcomeOf('queued', { status: 503, body: { code: 'CLAIM_QUEUE_UNAVAILABLE' } })).toBe('HTTP 503 CLAIM_QUEUE_UNAVAILABLE');
  });

  it("takes the queued path's decisions from the audit: beyond the coupon's claims before the race and the sync path's issues", () => {
    const before = { ISSUED: 5 };
    const now = { ISSUED: 5 + 30 + 12, 'REJECTED:SOLD_OUT': 88, PENDING: 2 };
    expect(queuedOutcomes(before, now, 30)).toEqual({ ISSUED: 12, SOLD_OUT: 88, PENDING: 2 });
  });

  it('gives nearest-rank percentiles', () => {
    expect(percentiles([5, 1, 4, 2, 3])).toEqual({ p50: 3, p95: 5, p99: 5, max: 5 });
    expect(percentiles([])).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });
});

interface Seen {
  method: string;
  path: string;
  token?: string;
  body?: unknown;
}

/**
 * A coupon app behind `fetch`, enough for one race: cap `total`, first come first served on both
 * paths (a queued claim is decided at once), the audit and the dev tokens (`tok-<subject>-<role>`).
 */
function fakeCouponApp({ total, devTokens = true }: { total: number; devTokens?: boolean }) {
  const seen: Seen[] = [];
  let nextUser = 100;
  let issued = 0;
  const claims: Record<string, number> = {};
  const holders = new Set<string>();
  const reply = (status: number, body?: unknown) => new Response(body === undefined ? null : JSON.stringify(body), { status });
  const fetchMock = jest.spyOn(global, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(String(input));
    const auth = new Headers(init?.headers).get('authorization') ?? undefined;
    const body = init?.body === undefined || init.body === null ? undefined : (JSON.parse(String(init.body)) as unknown);
    const req: Seen = { method: init?.method ?? 'GET', path: url.pathname, token: auth?.replace(/^Bearer /, ''), body };
    seen.push(req);
    const key = `${req.method} ${req.path}`;
    if (key === 'GET /coupons/7') return reply(200, { id: 7, total, issued });
    if (key === 'GET /coupons/7/audit') {
      if (req.token !== 'tok-ops-operator') return reply(req.token ? 403 : 401, { code: req.token ? 'FORBIDDEN' : 'AUTH_REQUIRED' });
      return reply(200, { couponId: 7, total, issued, userCoupons: issued, distinctUsers: holders.size, vendorBalance: issued * 10, vendorPayouts: issued * 10, claims });
    }
    if (key === 'POST /users/random') return reply(201, { id: nextUser++ });
    if (key === 'POST /auth/dev-tokens') {
      if (!devTokens) return reply(404, { code: 'NOT_FOUND' });
      const { subjects, roles } = body as { subjects: string[]; roles: string[] };
      return reply(200, { tokens: subjects.map((s) => `tok-${s}-${roles.join('+')}`), expiresAt: new Date().toISOString() });
    }
    const claim = /^POST \/coupons\/7\/claims(\/async)?$/.exec(key);
    if (claim) {
      const user = /^tok-(\d+)-user$/.exec(req.token ?? '')?.[1];
      if (!user) return reply(401, { code: 'AUTH_REQUIRED' });
      if (body !== undefined && Object.keys(body as object).length > 0) return reply(400, { code: 'VALIDATION_FAILED' });
      const win = issued < total && !holders.has(user);
      const status = win ? 'ISSUED' : 'REJECTED:SOLD_OUT';
      claims[status] = (claims[status] ?? 0) + 1;
      if (win) {
        issued++;
        holders.add(user);
      }
      if (claim[1]) return reply(202, { claimId: 'c', status: 'PENDING' });
      return win ? reply(201, { claimId: 'c', status: 'ISSUED' }) : reply(409, { code: 'COUPON_SOLD_OUT' });
    }
    return reply(404, { code: 'NOT_FOUND' });
  });
  return { seen, fetchMock };
}

describe('runRace over the API', () => {
  afterEach(() => jest.restoreAllMocks());

  it('signs its users in with one dev-tokens call, claims with each one’s own token and no body, reads the audit as the operator', async () => {
    const { seen } = fakeCouponApp({ total: 3 });
    const result = await runRace({ base: 'http://coupon', couponId: 7, users: 10, path: 'mixed', operatorToken: 'tok-ops-operator' });

    expect(result).toMatchObject({ phase: 'done', pass: true, cap: 3, issued: 3 });
    const signIns = seen.filter((r) => r.path === '/auth/dev-tokens');
    expect(signIns).toEqual([{ method: 'POST', path: '/auth/dev-tokens', token: undefined, body: { subjects: Array.from({ length: 10 }, (_, i) => String(100 + i)), roles: ['user'] } }]);
    const claims = seen.filter((r) => r.path.startsWith('/coupons/7/claims'));
    expect(claims).toHaveLength(10);
    expect(new Set(claims.map((c) => c.token))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `tok-${100 + i}-user`)));
    expect(claims.every((c) => c.body === undefined)).toBe(true);
    expect(seen.filter((r) => r.path === '/coupons/7/audit').every((r) => r.token === 'tok-ops-operator')).toBe(true);
    // what it does anonymously: the public routes only
    expect(seen.filter((r) => !r.token).map((r) => `${r.method} ${r.path}`)).toEqual(expect.not.arrayContaining(['GET /coupons/7/audit']));
  });

  it('fails, saying why, when the app serves no dev tokens', async () => {
    const { seen } = fakeCouponApp({ total: 3, devTokens: false });
    const result = await runRace({ base: 'http://coupon', couponId: 7, users: 4, path: 'sync', operatorToken: 'tok-ops-operator' });
    expect(result.phase).toBe('failed');
    expect(result.error).toMatch(/does not serve POST \/auth\/dev-tokens/);
    expect(seen.some((r) => r.path.startsWith('/coupons/7/claims'))).toBe(false);
  });

  it('fails before any call without an operator token, and with a refused one', async () => {
    const { seen } = fakeCouponApp({ total: 3 });
    expect(await runRace({ base: 'http://coupon', couponId: 7, users: 1, path: 'sync', operatorToken: '' })).toMatchObject({ phase: 'failed', error: expect.stringMatching(/operator's token/) });
    expect(seen).toEqual([]);
    expect(await runRace({ base: 'http://coupon', couponId: 7, users: 1, path: 'sync', operatorToken: 'tok-7-user' })).toMatchObject({ phase: 'failed', error: expect.stringMatching(/audit -> 403 FORBIDDEN/) });
  });
});

describe('CouponClient.devTokens', () => {
  afterEach(() => jest.restoreAllMocks());

  it(`asks for at most ${SIGN_IN_BATCH} subjects per call and keeps their order`, async () => {
    const { seen } = fakeCouponApp({ total: 1 });
    const subjects = Array.from({ length: 2 * SIGN_IN_BATCH + 5 }, (_, i) => String(i + 1));
    const tokens = await new CouponClient('http://coupon').devTokens(subjects, 'user');
    expect(seen.map((r) => (r.body as { subjects: string[] }).subjects.length)).toEqual([SIGN_IN_BATCH, SIGN_IN_BATCH, 5]);
    expect(tokens).toEqual(subjects.map((s) => `tok-${s}-user`));
  });

  it('throws DevTokensOffError on 404', async () => {
    fakeCouponApp({ total: 1, devTokens: false });
    await expect(new CouponClient('http://coupon').devTokens(['experiment'], 'operator')).rejects.toBeInstanceOf(DevTokensOffError);
  });
});
