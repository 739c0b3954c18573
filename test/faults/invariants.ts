import { Topic } from '@app/events';
import { checkCouponInvariants, claimsWithStatus, CouponFacts } from '../../apps/coupon/kit/invariants';
import { call, mapLimit, Reply } from './http';
import { sleep } from './proc';
import { FaultStack } from './stack';
import { consumerLag, deadLetters, readPayloads } from './topic-reader';
import { CLAIM_FINAL, ORDER_FINAL, Shop, SKUS, Targets, Traffic } from './traffic';

interface OrderBody {
  id: string;
  kind: string;
  count: number;
  status: string;
  history: { step: string }[];
}

/** What a scenario saw: invariant violations (must be empty) and figures for its summary line. */
export interface Verdict {
  problems: string[];
  figures: Record<string, number | string>;
}

const sample = (ids: Iterable<string>) => [...ids].slice(0, 3).join(', ');

/** PENDING orders (all of them, acknowledged or not) and PENDING claims of the shop's coupon. */
export async function pendingWork(targets: Targets, shop: Shop): Promise<{ orders: number; claims: number } | undefined> {
  let orders = 0;
  const orderUrl = targets.orders?.()[0];
  if (orderUrl) {
    const all = await allOrders(orderUrl, 'status=PENDING', shop.operator).catch(() => undefined);
    if (!all) return undefined;
    orders = all.length;
  }
  let claims = 0;
  if (shop.coupon && targets.coupon) {
    const r = await call<{ claims: Record<string, number> }>(targets.coupon(), 'GET', `/coupons/${shop.coupon.id}/audit`, { token: shop.operator, timeoutMs: 10_000 });
    if (r.status !== 200) return undefined;
    claims = Object.entries(r.body.claims).reduce((n, [k, v]) => (k.startsWith('PENDING') ? n + v : n), 0);
  }
  return { orders, claims };
}

/**
 * Waits until no order and no claim is PENDING and every consumer group has consumed everything
 * (the notification service too, which decides nothing but must see every event); the ms it
 * took, or undefined after timeoutMs.
 */
export async function settle(stack: FaultStack, targets: Targets, shop: Shop, timeoutMs: number): Promise<number | undefined> {
  const began = Date.now();
  while (Date.now() - began < timeoutMs) {
    const pending = await pendingWork(targets, shop).catch(() => undefined);
    if (pending && pending.orders === 0 && pending.claims === 0) {
      const lag = await consumerLag(stack).catch(() => undefined);
      if (lag && Object.values(lag).every((n) => n === 0)) return Date.now() - began;
    }
    await sleep(1000);
  }
  return undefined;
}

interface OrderPage {
  items: OrderBody[];
  nextCursor: string | null;
}

/** Every order matching the list query (GET /orders, page by page; everyone's with an operator's token). */
async function allOrders(orderUrl: string, query: string, token: string): Promise<OrderBody[]> {
  const items: OrderBody[] = [];
  let cursor: string | null = null;
  do {
    const r: Reply<OrderPage> = await call<OrderPage>(orderUrl, 'GET', `/orders?${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token, timeoutMs: 10_000 });
    if (r.status !== 200) throw new Error(`GET /orders?${query} answered ${r.status}`);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return items;
}

/**
 * The invariants of ARCHITECTURE.md, checked through the public HTTP APIs (as the shop's operator)
 * and the topics read back from the broker, after the traffic stopped and the system settled:
 * - every order answered 201 exists and is terminal, its timeline holds no step twice, and no
 *   order at all is left PENDING; payment and shipment exist exactly once where the outcome
 *   says so (none for a stock rejection), and the notification timeline holds no event twice;
 * - stock: reserved == units of COMPLETED orders, available + reserved == what was stocked;
 * - every claim answered 202 exists, is ISSUED or REJECTED, and is on the claim topic;
 *   the coupon invariants (issued <= cap, issued == holders, no user twice, vendor balance ==
 *   payouts, no claim PENDING, ISSUED claims == issued) on GET /coupons/:id/audit;
 * - nothing on the dead-letter topic; no app process exited by itself.
 */
export async function verify(stack: FaultStack, traffic: Traffic, shop: Shop, targets: Targets): Promise<Verdict> {
  const token = shop.operator;
  const problems: string[] = [];
  const figures: Record<string, number | string> = {};
  const lost: string[] = [];
  const orderUrl = targets.orders?.()[0];
  if (targets.orders && !orderUrl) problems.push('no order instance is up to check the orders');
  if (shop.coupon && targets.coupon && !stack.instances.some((i) => i.url === targets.coupon!() && i.ready)) {
    problems.push('the coupon instance is not up to check the claims');
  }

  if (orderUrl) {
    const ids = [...traffic.orders.keys()];
    const orders = await mapLimit(ids, 16, async (id) => ({ id, r: await call<OrderBody>(orderUrl, 'GET', `/orders/${id}`, { token }) }));
    const byStatus: Record<string, number> = {};
    const notFinal: string[] = [];
    const twice: string[] = [];
    for (const { id, r } of orders) {
      if (r.status === 404) lost.push(id);
      else if (r.status !== 200) problems.push(`GET /orders/${id} answered ${r.status}`);
      else {
        byStatus[r.body.status] = (byStatus[r.body.status] ?? 0) + 1;
        if (!ORDER_FINAL.includes(r.body.status)) notFinal.push(id);
        const steps = r.body.history.map((h) => h.step);
        if (new Set(steps).size !== steps.length) twice.push(`${id} (${steps.join(' > ')})`);
      }
    }
    figures.orders = ids.length;
    Object.assign(figures, Object.fromEntries(Object.entries(byStatus).map(([k, v]) => [`orders ${k}`, v])));
    if (notFinal.length) problems.push(`${notFinal.length} of ${ids.length} orders answered 201 are not terminal (e.g. ${sample(notFinal)})`);
    if (twice.length) problems.push(`${twice.length} orders have a step twice in their timeline: ${twice.slice(0, 2).join('; ')}`);
    const pending = await pendingWork(targets, shop);
    if (pending?.orders) problems.push(`${pending.orders} orders (acknowledged or not) are still PENDING`);

    // exactly once downstream: one payment where the saga reached payment, one shipment per completed order
    const paymentUrl = stack.urls('payment')[0];
    const shipmentUrl = stack.urls('shipment')[0];
    const notificationUrl = stack.urls('notification')[0];
    const final = orders.filter((o) => o.r.status === 200 && ORDER_FINAL.includes(o.r.body.status)).map((o) => o.r.body);
    const downstream = await mapLimit(final, 16, async (o) => {
      const found: string[] = [];
      const count = async (url: string | undefined, path: string) => {
        if (!url) return undefined;
        const r = await call<unknown[]>(url, 'GET', path, { token });
        if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
        return r.body;
      };
      const payments = await count(paymentUrl, `/payments?orderId=${o.id}`);
      const expectPayment = o.status === 'REJECTED' ? 0 : 1;
      if (payments && payments.length !== expectPayment) found.push(`${o.id} ${o.status} has ${payments.length} payments`);
      const shipments = await count(shipmentUrl, `/shipments?orderId=${o.id}`);
      const expectShipment = o.status === 'COMPLETED' ? 1 : 0;
      if (shipments && shipments.length !== expectShipment) found.push(`${o.id} ${o.status} has ${shipments.length} shipments`);
      const timeline = (await count(notificationUrl, `/notifications?orderId=${o.id}`)) as { topic: string }[] | undefined;
      if (timeline) {
        const topics = timeline.map((n) => n.topic);
        if (new Set(topics).size !== topics.length) found.push(`${o.id} notified twice: ${topics.join(', ')}`);
        if (!topics.includes(Topic.OrderCreated)) found.push(`${o.id} has no ${Topic.OrderCreated} notification`);
      }
      return found;
    });
    const wrong = downstream.flat();
    if (wrong.length) problems.push(`${wrong.length} exactly-once violations downstream: ${wrong.slice(0, 3).join('; ')}`);

    const stockUrl = stack.urls('stock')[0];
    if (stockUrl) {
      for (const s of SKUS) {
        const level = await call<{ available: number; reserved: number }>(stockUrl, 'GET', `/stock/${s.sku}`);
        const units = (await allOrders(orderUrl, `kind=${s.sku}&status=COMPLETED`, token)).reduce((n, o) => n + o.count, 0);
        if (level.body.reserved !== units) problems.push(`stock ${s.sku}: reserved ${level.body.reserved}, but completed orders hold ${units}`);
        if (level.body.available + level.body.reserved !== s.available) {
          problems.push(`stock ${s.sku}: available ${level.body.available} + reserved ${level.body.reserved} != ${s.available} stocked`);
        }
      }
    }
  }

  if (shop.coupon && targets.coupon) {
    const couponUrl = targets.coupon();
    const { id } = shop.coupon;
    const ids = [...traffic.claims];
    const claims = await mapLimit(ids, 16, async (claimId) => ({ claimId, r: await call<{ status: string }>(couponUrl, 'GET', `/claims/${claimId}`, { token }) }));
    const notFinal = claims.filter((c) => c.r.status === 200 && !CLAIM_FINAL.includes(c.r.body.status)).map((c) => c.claimId);
    lost.push(...claims.filter((c) => c.r.status === 404).map((c) => c.claimId));
    figures.claims = ids.length;
    if (notFinal.length) problems.push(`${notFinal.length} of ${ids.length} claims answered 202 are not ISSUED/REJECTED (e.g. ${sample(notFinal)})`);

    const onTopic = new Set((await readPayloads<{ claimId: string }>(stack, Topic.CouponClaimRequested)).map((p) => p.claimId));
    const missing = ids.filter((c) => !onTopic.has(c));
    figures['claims not on topic'] = missing.length;
    if (missing.length) problems.push(`${missing.length} claims answered 202 are not on ${Topic.CouponClaimRequested} (e.g. ${sample(missing)})`);
    for (const c of missing) if (!lost.includes(c)) lost.push(c);

    // The coupon invariants (apps/coupon/kit/invariants) on the coupon app's own audit of its tables.
    const audit = (await call<CouponFacts>(couponUrl, 'GET', `/coupons/${id}/audit`, { token })).body;
    figures.issued = audit.issued;
    figures['claims REJECTED'] = claimsWithStatus(audit.claims, 'REJECTED');
    for (const c of checkCouponInvariants(audit)) if (!c.ok) problems.push(`coupon: ${c.name} violated (${c.detail})`);
  }

  figures.lost = lost.length;
  if (lost.length) problems.push(`${lost.length} acknowledged orders/claims are lost (404 or never on the topic; e.g. ${sample(lost)})`);
  const lag = await consumerLag(stack).catch(() => undefined);
  const behind = Object.entries(lag ?? {}).filter(([, n]) => n > 0);
  if (!lag) problems.push('a consumer group is still rebalancing');
  else if (behind.length) problems.push(`consumer groups still behind: ${behind.map(([g, n]) => `${g} ${n}`).join(', ')}`);
  const dead = await deadLetters(stack);
  figures['dead letters'] = dead.total;
  if (dead.total) problems.push(`${dead.total} dead letters: ${JSON.stringify(dead.by)}`);
  problems.push(...stack.unexpectedExits());
  return { problems, figures };
}
