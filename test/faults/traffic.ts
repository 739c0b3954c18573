import { call, mapLimit, must, Reply } from './http';
import { sleep } from './proc';
import { FaultStack } from './stack';

/**
 * Products of a fault scenario (weights pick them for orders): plenty and cheap (COMPLETED), few
 * (some REJECTED for stock), dearer than the payment simulator's limit (CANCELLED, stock released).
 */
export const SKUS = [
  { sku: 'fault-plenty', available: 1_000_000, price: 100, weight: 7 },
  { sku: 'fault-few', available: 40, price: 200, weight: 2 },
  { sku: 'fault-dear', available: 1_000_000, price: 1_500_000, weight: 1 },
] as const;

export interface CouponSetup {
  id: number;
  vendorId: number;
  value: number;
  total: number;
}

/** A coupon user and its bearer token (the claim endpoints take the claiming user from it). */
export interface ShopUser {
  id: number;
  token: string;
}

export interface Shop {
  coupon?: CouponSetup;
  users: ShopUser[];
  /** Tokens of the users who order (POST /orders takes the order's user from the token). */
  buyers: string[];
  /** An operator's token: the set-up and the checks (audits, everyone's orders, payments, shipments, notifications). */
  operator: string;
}

const BUYERS = 8;

/**
 * Stock for SKUS (through the stock API) and, when asked, a coupon with its vendor and users (coupon
 * API), as the stack's operator; every user gets its token, signed with the stack's key.
 */
export async function openShop(stack: FaultStack, coupon?: { total: number; value: number; users: number; url?: string }): Promise<Shop> {
  const { tokens } = stack;
  const operator = tokens.operator;
  const buyers = Array.from({ length: BUYERS }, (_, i) => tokens.buyer(i + 1));
  const stockUrl = stack.urls('stock')[0];
  if (stockUrl) for (const s of SKUS) await must(200, stockUrl, 'PUT', `/stock/${s.sku}`, { body: { available: s.available, price: s.price }, token: operator });
  if (!coupon) return { users: [], buyers, operator };
  const url = coupon.url ?? stack.urls('coupon')[0];
  const vendor = await must<{ id: number }>(201, url, 'POST', '/vendors', { body: { name: `faults-${stack.label}` }, token: operator });
  const created = await must<{ id: number }>(201, url, 'POST', '/coupons', {
    body: { type: 'WELCOME', value: coupon.value, total: coupon.total, vendorId: vendor.id },
    token: operator,
  });
  const users = await mapLimit(Array.from({ length: coupon.users }), 32, () => must<{ id: number }>(201, url, 'POST', '/users/random'));
  return {
    coupon: { id: created.id, vendorId: vendor.id, value: coupon.value, total: coupon.total },
    users: users.map((u) => ({ id: u.id, token: tokens.user(u.id) })),
    buyers,
    operator,
  };
}

export interface Targets {
  /** Order API instances (requests go round-robin). */
  orders?: () => string[];
  /** The coupon API instance taking the queued claims. */
  coupon?: () => string;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const weighted = () => {
  let r = Math.random() * SKUS.reduce((n, s) => n + s.weight, 0);
  return SKUS.find((s) => (r -= s.weight) < 0) ?? SKUS[0];
};

const live = new Set<Traffic>();

/**
 * The clients of a scenario: a steady stream and/or bursts of POST /orders and queued claims,
 * recording every answer. What was acknowledged (201 order, 202 claim) is a promise the
 * invariant check holds the system to; anything else is only counted.
 */
export class Traffic {
  /** 201 orders: id -> what was ordered. */
  readonly orders = new Map<string, { sku: string; count: number }>();
  /** 202 claims. */
  readonly claims = new Set<string>();
  /** Answers by kind and status, e.g. `order 201`, `claim 503`, `claim ERR`. */
  readonly answers: Record<string, number> = {};
  /** How long each answer that was not a 2xx took (how fast a refusal comes while something is down). */
  readonly refusalsMs: number[] = [];
  /** The longest any request waited for its answer (the longest stall a client saw), in ms. */
  slowestMs = 0;
  inFlight = 0;
  /** Requests the stream did not send because maxInFlight were already waiting. */
  skipped = 0;
  private timer?: NodeJS.Timeout;
  private turn = 0;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    readonly shop: Shop,
    private readonly targets: Targets,
    private readonly maxInFlight = 300,
  ) {
    live.add(this);
  }

  /** Stops every stream still running (afterAll of a failed scenario). */
  static async stopAll(): Promise<void> {
    await Promise.all([...live].map((t) => t.stop()));
  }

  private record(kind: string, r: Reply): void {
    const key = `${kind} ${r.status === 0 ? 'ERR' : r.status}`;
    this.answers[key] = (this.answers[key] ?? 0) + 1;
    this.slowestMs = Math.max(this.slowestMs, r.ms);
    if (r.status < 200 || r.status >= 300) this.refusalsMs.push(r.ms);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight++;
    this.pending.add(p);
    return p.finally(() => {
      this.inFlight--;
      this.pending.delete(p);
    });
  }

  /** POST /orders of a weighted-random product by a random buyer; returns the order id when answered 201. */
  order(): Promise<string | undefined> {
    const urls = this.targets.orders?.() ?? [];
    if (urls.length === 0) return Promise.resolve(void this.record('order', { status: 0, body: undefined, ms: 0, error: 'no instance' }));
    const url = urls[this.turn++ % urls.length];
    const { sku } = weighted();
    const count = 1 + Math.floor(Math.random() * 3);
    return this.track(
      call<{ id: string }>(url, 'POST', '/orders', { body: { kind: sku, count }, token: pick(this.shop.buyers) }).then((r) => {
        this.record('order', r);
        if (r.status !== 201) return undefined;
        this.orders.set(r.body.id, { sku, count });
        return r.body.id;
      }),
    );
  }

  /**
   * POST /coupons/:id/claims/async as a random user (so some users claim twice), with its token and
   * an empty body; returns the claim id when answered 202.
   */
  claim(): Promise<string | undefined> {
    const coupon = this.shop.coupon;
    if (!coupon || !this.targets.coupon) throw new Error('no coupon set up for claims'); // a test bug, not a fault
    const user = pick(this.shop.users);
    return this.track(
      call<{ claimId: string }>(this.targets.coupon(), 'POST', `/coupons/${coupon.id}/claims/async`, { body: {}, token: user.token }).then((r) => {
        this.record('claim', r);
        if (r.status !== 202) return undefined;
        this.claims.add(r.body.claimId);
        return r.body.claimId;
      }),
    );
  }

  /** Starts a steady stream (requests per second), not waiting for answers; at most maxInFlight unanswered. */
  stream(rate: { ordersPerSecond?: number; claimsPerSecond?: number }): void {
    const began = Date.now();
    let orders = 0;
    let claims = 0;
    this.timer = setInterval(() => {
      const elapsed = (Date.now() - began) / 1000;
      const send = (due: number, sent: number, fire: () => void) => {
        for (; sent < due; sent++) {
          if (this.inFlight >= this.maxInFlight) this.skipped++;
          else fire();
        }
        return sent;
      };
      orders = send(Math.floor(elapsed * (rate.ordersPerSecond ?? 0)), orders, () => void this.order());
      claims = send(Math.floor(elapsed * (rate.claimsPerSecond ?? 0)), claims, () => void this.claim());
    }, 20);
  }

  /** Stops the stream and waits for every unanswered request. */
  async stop(): Promise<void> {
    live.delete(this);
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Sends n orders and m claims as fast as `concurrency` clients can, and waits for the answers. */
  async burst(n: { orders?: number; claims?: number }, concurrency = 64): Promise<void> {
    const jobs: (() => Promise<unknown>)[] = [
      ...Array.from({ length: n.orders ?? 0 }, () => () => this.order()),
      ...Array.from({ length: n.claims ?? 0 }, () => () => this.claim()),
    ].sort(() => Math.random() - 0.5);
    await mapLimit(jobs, concurrency, (job) => job());
  }

  /** The q-quantile (0..1) of the refusal times, in ms; 0 when nothing was refused. */
  refusalMs(q: number): number {
    const sorted = [...this.refusalsMs].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
  }

  describe(): string {
    return Object.entries(this.answers)
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  }
}

export const ORDER_FINAL = ['COMPLETED', 'REJECTED', 'CANCELLED'];
export const CLAIM_FINAL = ['ISSUED', 'REJECTED'];
const statusOf = async (url: string, path: string, token: string) => (await call<{ status: string }>(url, 'GET', path, { token, timeoutMs: 5000 })).body?.status;

/**
 * Recovery after a fault: from `since`, how long until a new order (and a new claim, if the shop
 * has a coupon) is accepted and reaches a terminal state. undefined if not within timeoutMs.
 */
export async function recovery(traffic: Traffic, targets: Targets, since: number, timeoutMs: number): Promise<number | undefined> {
  const deadline = since + timeoutMs;
  const probe = async (send: () => Promise<string | undefined>, done: (id: string) => Promise<boolean>) => {
    let id: string | undefined;
    while (!id) {
      if (Date.now() > deadline) return false;
      id = await send();
      if (!id) await sleep(250);
    }
    while (!(await done(id))) {
      if (Date.now() > deadline) return false;
      await sleep(250);
    }
    return true;
  };
  const probes: Promise<boolean>[] = [];
  if (targets.orders) {
    const url = () => targets.orders!()[0];
    probes.push(probe(() => traffic.order(), async (id) => url() !== undefined && ORDER_FINAL.includes((await statusOf(url(), `/orders/${id}`, traffic.shop.operator)) ?? '')));
  }
  if (targets.coupon) {
    probes.push(probe(() => traffic.claim(), async (id) => CLAIM_FINAL.includes((await statusOf(targets.coupon!(), `/claims/${id}`, traffic.shop.operator)) ?? '')));
  }
  const ok = (await Promise.all(probes)).every(Boolean);
  return ok ? Date.now() - since : undefined;
}
