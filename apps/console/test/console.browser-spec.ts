// The console in a real browser: each demo order placed from the page reaches its final state on
// the page, and the same state through the order API; a 4xx shows its code; a stopped service
// shows as down; a timeline shows every service's hop.
import { Page } from 'playwright-core';
import { ConsoleKit, screenshotPath, startConsoleKit } from './console-kit';

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

  const order = async (id: string) => (await (await fetch(`${kit.saga.urls.order}/orders/${id}`)).json()) as OrderBody;

  /** Clicks a demo, then waits for its order's row to reach `status`; returns the order id. */
  async function demo(name: string, status: string): Promise<string> {
    await page.click(`button[data-demo="${name}"]`);
    const id = await page.waitForSelector(`#last-order[data-demo="${name}"]`, { timeout: 10_000 }).then((e) => e.getAttribute('data-order-id'));
    if (!id) throw new Error('no order id on the page');
    await page.waitForSelector(`#orders tr[data-order-id="${id}"][data-status="${status}"]`, { timeout: 20_000 });
    return id;
  }

  it('shows every service: the five running as up, the stopped coupon service as unreachable', async () => {
    await page.waitForSelector('#services li[data-service="order"][data-status="up"]', { timeout: 10_000 });
    for (const name of ['stock', 'payment', 'shipment', 'notification']) {
      expect(await page.getAttribute(`#services li[data-service="${name}"]`, 'data-status')).toBe('up');
    }
    expect(await page.getAttribute('#services li[data-service="coupon"]', 'data-status')).toBe('unreachable');
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

  it("clicking an order shows its timeline across order, stock, payment and shipment, with each hop's time", async () => {
    const id = await page.getAttribute('#orders tr[data-status="COMPLETED"]', 'data-order-id');
    await page.click(`#orders tr[data-order-id="${id}"]`);
    await page.waitForSelector('#timeline-table tbody tr[data-service="shipment"]', { timeout: 10_000 });
    const services = await page.$$eval('#timeline-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-service')));
    expect(new Set(services)).toEqual(new Set(['order', 'stock', 'payment', 'shipment']));
    const hops = await page.$$eval('#timeline-table tbody tr td:last-child', (cells) => cells.map((c) => c.textContent));
    for (const hop of hops) expect(hop).toMatch(/^\d+ ms$/);
    await page.screenshot({ path: screenshotPath('console-saga.png'), fullPage: true });
  });

  it('a refused order shows its status and stable code on the page', async () => {
    await page.fill('#count', '0');
    await page.click('#order-form button[type="submit"]');
    const error = await page.waitForSelector('#error:not([hidden])', { timeout: 5000 });
    expect(await error.getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(await error.textContent()).toContain('400 VALIDATION_FAILED');
    await page.fill('#count', '1');
  });

  it('a service stopped while the page is open shows as down', async () => {
    await kit.saga.stop('payment');
    await page.waitForSelector('#services li[data-service="payment"][data-status="unreachable"]', { timeout: 10_000 });
    // and a call the page forwards to it answers 503 with a stable code
    const res = await fetch(`${kit.console.url}/api/payment/payments?orderId=00000000-0000-0000-0000-000000000000`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'SERVICE_UNREACHABLE', details: { service: 'payment' } });
  });
});
