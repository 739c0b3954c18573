// The console in a real browser: each demo order placed from the page reaches its final state on
// the page, and the same state through the order API; a 4xx shows its code; a stopped service
// shows as down; a timeline shows every service's hop.
import { Page } from 'playwright-core';
import { Topic } from '@app/events';
import { topicName } from '@app/kafka';
import { readTopic } from '@app/kafka/ops/read-topic';
import { eventually } from '../../../test/harness';
import { asOperator, ConsoleKit, screenshotPath, startConsoleKit } from './console-kit';

interface OrderBody {
  status: string;
  reason: string | null;
}

describe('console: the saga view in Chromium', () => {
  let kit: ConsoleKit;
  let page: Page;

  beforeAll(async () => {
    kit = await startConsoleKit('console');
    page = kit.browser.page;
    await page.goto(kit.console.url);
    // the live stream is open before anything is placed, so no event is missed
    await page.waitForSelector('#stream[data-state="live"]', { timeout: 15_000 });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const order = async (id: string) => (await (await asOperator(kit, `${kit.saga.urls.order}/orders/${id}`)).json()) as OrderBody;

  /** Clicks a demo, then waits for its order's row to reach `status`; returns the order id. */
  async function demo(name: string, status: string): Promise<string> {
    await page.click(`button[data-demo="${name}"]`);
    const id = await page.waitForSelector(`#last-order[data-demo="${name}"]`, { timeout: 10_000 }).then((e) => e.getAttribute('data-order-id'));
    if (!id) throw new Error('no order id on the page');
    await page.waitForSelector(`#orders tr[data-order-id="${id}"][data-status="${status}"]`, { timeout: 20_000 });
    return id;
  }

  it('signs in as an operator by itself (dev tokens are on), and forwards its token: the console itself grants nothing', async () => {
    const anonymous = await fetch(`${kit.console.url}/api/coupon/ops/dead-letters`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(await page.textContent('#who')).toMatch(/signed in .*operator/);
    // signed in: the page does not ask for a token
    expect(await page.isHidden('#token-form')).toBe(true);
  });

  it('shows every service as up', async () => {
    await page.waitForSelector('#services li[data-service="order"][data-status="up"]', { timeout: 10_000 });
    for (const name of ['stock', 'payment', 'shipment', 'notification', 'coupon']) {
      expect(await page.getAttribute(`#services li[data-service="${name}"]`, 'data-status')).toBe('up');
    }
  });

  it('demo "completed": created, stock reserved, paid, shipped -> COMPLETED, each stage timed', async () => {
    const id = await demo('completed', 'COMPLETED');
    const row = `#orders tr[data-order-id="${id}"]`;
    await page.waitForSelector(`${row} .chip[data-stage="COMPLETED"]`, { timeout: 10_000 });
    const stages = await page.$$eval(`${row} .chip`, (chips) => chips.map((c) => [c.getAttribute('data-stage'), c.textContent]));
    expect(stages.map(([stage]) => stage)).toEqual(['PENDING', 'STOCK_RESERVED', 'PAID', 'COMPLETED']);
    for (const [, text] of stages) expect(text).toMatch(/\+\d+ ms$/);
    expect(await order(id)).toMatchObject({ status: 'COMPLETED', reason: null });
  });

  it('demo "cancelled": over the payment limit -> CANCELLED, and the stock is given back', async () => {
    const stock = async () => (await (await fetch(`${kit.saga.urls.stock}/stock/tv`)).json()) as { available: number; reserved: number };
    const before = await stock();
    const id = await demo('cancelled', 'CANCELLED');
    await page.waitForSelector(`#orders tr[data-order-id="${id}"] .chip[data-stage="STOCK_RELEASED"]`, { timeout: 15_000 });
    expect(await page.textContent(`#orders tr[data-order-id="${id}"] td.status-CANCELLED`)).toContain('LIMIT_EXCEEDED');
    expect(await order(id)).toMatchObject({ status: 'CANCELLED', reason: 'LIMIT_EXCEEDED' });
    expect(await stock()).toEqual(expect.objectContaining({ available: before.available, reserved: before.reserved }));
  });

  it('demo "unknown product" -> REJECTED UNKNOWN_PRODUCT', async () => {
    const id = await demo('unknown', 'REJECTED');
    expect(await page.textContent(`#orders tr[data-order-id="${id}"] td.status-REJECTED`)).toContain('UNKNOWN_PRODUCT');
    expect(await order(id)).toMatchObject({ status: 'REJECTED', reason: 'UNKNOWN_PRODUCT' });
  });

  it('demo "out of stock" -> REJECTED OUT_OF_STOCK, nothing taken; the stock table shows the new product live', async () => {
    const id = await demo('out-of-stock', 'REJECTED');
    expect(await page.textContent(`#orders tr[data-order-id="${id}"] td.status-REJECTED`)).toContain('OUT_OF_STOCK');
    expect(await order(id)).toMatchObject({ status: 'REJECTED', reason: 'OUT_OF_STOCK' });
    // demo-empty did not exist when the page loaded: it appears with the table's next refresh
    await page.waitForSelector('#stock tr[data-sku="demo-empty"]', { timeout: 5000 });
    expect(await page.textContent('#stock tr[data-sku="demo-empty"] [data-field="available"]')).toBe('0');
    expect(await page.textContent('#stock tr[data-sku="demo-empty"] [data-field="reserved"]')).toBe('0');
  });

  it("clicking an order shows its timeline across order, stock, payment, shipment and notification, with each hop's time and who started it", async () => {
    const id = await page.getAttribute('#orders tr[data-status="COMPLETED"]', 'data-order-id');
    await page.click(`#orders tr[data-order-id="${id}"]`);
    await page.waitForSelector('#timeline-table tbody tr[data-service="shipment"]', { timeout: 10_000 });
    await page.waitForSelector('#timeline-table tbody tr[data-service="notification"]', { timeout: 10_000 });
    const services = await page.$$eval('#timeline-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-service')));
    expect(new Set(services)).toEqual(new Set(['order', 'stock', 'payment', 'shipment', 'notification']));
    const hops = await page.$$eval('#timeline-table tbody tr td:last-child', (cells) => cells.map((c) => c.textContent));
    for (const hop of hops) expect(hop).toMatch(/^\d+ ms$/);
    // the console placed it with its own token: every event of the flow names that subject
    expect(await page.textContent('#timeline-actor')).toBe('console');
    const by = await page.$$eval('#timeline-table tbody tr[data-service="shipment"] [data-field="by"]', (cells) => cells.map((c) => c.textContent));
    expect(by.length).toBeGreaterThan(0);
    expect(by.every((b) => b === 'console')).toBe(true);
    await page.screenshot({ path: screenshotPath('console-saga.png'), fullPage: true });
  });

  describe('the coupon race', () => {
    beforeAll(async () => {
      await page.click('#tabs button[data-tab="race"]');
      await page.waitForSelector('#race:not([hidden])');
    });

    it('creates a coupon, races 300 users on both paths for its 20 units, and shows the totals check PASS', async () => {
      await page.fill('#coupon-cap', '20');
      await page.fill('#coupon-value', '1000');
      await page.click('#coupon-form button[type="submit"]');
      const couponId = Number(await page.waitForSelector('#coupon-created[data-coupon-id]', { timeout: 10_000 }).then((e) => e.getAttribute('data-coupon-id')));
      expect(await page.inputValue('#race-coupon')).toBe(String(couponId));
      await page.fill('#race-users', '300');
      await page.selectOption('#race-path', 'mixed');
      await page.click('#race-form button[type="submit"]');
      await page.waitForSelector('#race-verdict[data-verdict]', { timeout: 90_000 });
      expect(await page.getAttribute('#race-verdict', 'data-verdict')).toBe('PASS');
      expect(await page.getAttribute('#race-issued', 'data-issued')).toBe('20');
      const checks = await page.$$eval('#race-checks li', (lis) => lis.map((li) => [li.getAttribute('data-check'), li.getAttribute('data-ok')]));
      expect(checks).toEqual(expect.arrayContaining([['issued <= cap', 'true'], ['no duplicate holder', 'true'], ['cap reached', 'true']]));
      // each path answered its 150 claimants; every one of them is accounted for by an outcome
      for (const path of ['sync', 'queued']) {
        expect(await page.getAttribute(`#race-paths tr[data-path="${path}"]`, 'data-answered')).toBe('150');
        const counts = await page.$$eval(`#race-paths tr[data-path="${path}"] [data-outcome]`, (chips) =>
          chips.map((c) => [c.getAttribute('data-outcome'), Number(c.getAttribute('data-count'))] as const),
        );
        expect(counts.reduce((n, [, c]) => n + c, 0)).toBe(150);
        expect(counts.map(([k]) => k)).not.toContain('PENDING');
      }
      await page.screenshot({ path: screenshotPath('console-race.png') });
      // and the coupon app agrees: 20 issued to 20 distinct users, nothing pending
      const audit = (await (await asOperator(kit, `${kit.console.url}/api/coupon/coupons/${couponId}/audit`)).json()) as {
        issued: number;
        distinctUsers: number;
        duplicates: number;
        claims: Record<string, number>;
      };
      expect(audit).toMatchObject({ issued: 20, distinctUsers: 20, duplicates: 0 });
      expect(audit.claims.PENDING ?? 0).toBe(0);
    });

    it('refuses a race beyond its bounds with its code on the page', async () => {
      await page.fill('#race-users', '20001');
      await page.click('#race-form button[type="submit"]');
      await page.waitForSelector('#error:not([hidden])[data-code="VALIDATION_FAILED"]', { timeout: 5000 });
      await page.fill('#race-users', '300');
    });
  });

  describe('the Kafka view', () => {
    const dlqCount = async () =>
      ((await (await asOperator(kit, `${kit.console.url}/api/coupon/ops/dead-letters`)).json()) as { count: number }).count;

    beforeAll(async () => {
      await page.click('#tabs button[data-tab="kafka"]');
      await page.waitForSelector('#kafka:not([hidden])');
    });
    afterAll(async () => {
      await page.click('#tabs button[data-tab="saga"]');
    });

    it("shows each saga service's consumer group with its members, partitions, committed offsets and lag", async () => {
      const stock = await page.waitForSelector('#groups .group[data-group^="stock-service"][data-state="Stable"]', { timeout: 15_000 });
      expect(await stock.$eval('.members', (m) => m.textContent)).toMatch(/order\.created\.v1\[/);
      const partitions = await stock.$$eval('tbody tr[data-topic="order.created.v1"] [data-partition]', (chips) =>
        chips.map((c) => ({ partition: c.getAttribute('data-partition'), committed: c.getAttribute('data-committed'), lag: c.getAttribute('data-lag') })),
      );
      expect(partitions.map((p) => p.partition)).toEqual(['0', '1', '2', '3', '4', '5']);
      // the orders placed above were consumed and committed: some partition has a committed offset
      expect(partitions.some((p) => Number(p.committed) > 0)).toBe(true);
      for (const name of ['order', 'payment', 'shipment', 'notification']) {
        await page.waitForSelector(`#groups .group[data-group^="${name}-service"]`, { timeout: 5000 });
      }
    });

    it('shows a malformed record dead-lettered by both of its consumers, and replays it with the dlq:replay code', async () => {
      const topic = topicName(kit.saga.stack.topicPrefix, Topic.OrderCreated);
      const before = await dlqCount();
      const producer = kit.saga.stack.kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'console-poison', value: 'not json at all' }] });
      await producer.disconnect();
      // stock and notification consume order.created: each parks it
      await page.waitForSelector(`#dlq-count[data-count="${before + 2}"]`, { timeout: 20_000 });
      const rows = '#dead-letters tbody tr[data-original-topic="order.created.v1"] [data-field="error"]';
      await page.locator(rows).nth(1).waitFor({ timeout: 10_000 });
      const letters = await page.$$eval(rows, (tds) => tds.map((td) => td.textContent));
      for (const text of letters) expect(text).toMatch(/^\S+ .+/);
      await page.screenshot({ path: screenshotPath('console-kafka.png') });

      await page.click('#replay');
      await page.waitForSelector('#replay-result[data-replayed="2"]', { timeout: 20_000 });
      // both letters are back on order.created, next to the original
      const copies = (await readTopic(kit.saga.stack.kafka, topic, { timeoutMs: 20_000 })).filter((m) => m.key?.toString() === 'console-poison');
      expect(copies).toHaveLength(3);
      // still poison: each replayed copy is parked again by both groups, and nothing else happened
      await eventually('the replayed copies dead-lettered again', async () => ((await dlqCount()) === before + 6 ? true : undefined), 20_000);
    });
  });

  it('a refused order shows its status and stable code on the page', async () => {
    await page.fill('#count', '0');
    await page.click('#order-form button[type="submit"]');
    const error = await page.waitForSelector('#error:not([hidden])', { timeout: 5000 });
    expect(await error.getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(await error.textContent()).toContain('400 VALIDATION_FAILED');
    await page.fill('#count', '1');
  });

  // last: it stops a service
  describe('a service going away', () => {
    it('a service stopped while the page is open shows as down', async () => {
      await kit.saga.stop('payment');
      await page.waitForSelector('#services li[data-service="payment"][data-status="unreachable"]', { timeout: 10_000 });
      // and a call the page forwards to it answers 503 with a stable code
      const res = await asOperator(kit, `${kit.console.url}/api/payment/payments?orderId=00000000-0000-0000-0000-000000000000`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'SERVICE_UNREACHABLE', details: { service: 'payment' } });
    });
  });
});
