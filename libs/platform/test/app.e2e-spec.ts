import { Body, Controller, Module, Post } from '@nestjs/common';
import { z } from 'zod';
import { APP_NAMES, ConfigError } from '@app/config';
import { runApp } from '@app/platform';
import { OrderModule } from '../../../apps/order/src/order.module';
import { StockModule } from '../../../apps/stock/src/stock.module';
import { PaymentModule } from '../../../apps/payment/src/payment.module';
import { ShipmentModule } from '../../../apps/shipment/src/shipment.module';
import { NotificationModule } from '../../../apps/notification/src/notification.module';
import { CouponModule } from '../../../apps/coupon/src/coupon.module';
import { createTestStack, TestStack } from '../../../test/harness';

const MODULES = {
  order: OrderModule,
  stock: StockModule,
  payment: PaymentModule,
  shipment: ShipmentModule,
  notification: NotificationModule,
  coupon: CouponModule,
};

const Echo = z.object({ n: z.number().int().positive() });
@Controller()
class EchoController {
  @Post('echo')
  echo(@Body({ schema: Echo }) body: z.infer<typeof Echo>) {
    return body;
  }
}
@Module({ controllers: [EchoController] })
class EchoModule {}

describe('every app as a hybrid Nest app (HTTP + Kafka) on real MySQL and Kafka', () => {
  let stack: TestStack;
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    stack = await createTestStack('platform');
    for (const name of APP_NAMES) {
      urls[name] = (await stack.start(name, MODULES[name])).url;
    }
  });
  afterAll(() => stack?.close());

  it.each(APP_NAMES)('%s serves /health (200, every part up), /docs and /metrics', async (name) => {
    const health = await fetch(`${urls[name]}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      db: { status: 'up' },
      broker: { status: 'up' },
      producer: { status: 'up' },
      outbox: { status: 'up', oldestPendingMs: null },
      consumer: { status: 'up', state: 'joined', pausedPartitions: 0 },
    });
    const docs = await fetch(`${urls[name]}/docs-json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { info: { title: string } }).info.title).toBe(`${name} service`);
    expect((await fetch(`${urls[name]}/docs`)).status).toBe(200);
    const metrics = await (await fetch(`${urls[name]}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds');
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  it('answers 503 naming the database when it cannot reach it', async () => {
    const app = await stack.start('order', OrderModule, {
      env: { DATABASE_URL: 'mysql://root@127.0.0.1:1/nowhere' },
      consume: false,
    });
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({
      status: 'down',
      db: { status: 'down', reason: expect.any(String) },
      broker: { status: 'up' },
      producer: { status: 'up' },
      outbox: { status: 'down', reason: expect.any(String), oldestPendingMs: null },
    });
  });

  it('refuses to start on a bad setting, naming it', async () => {
    await expect(runApp('coupon', CouponModule, { env: { ...stack.env, COUPON_CONSUMER_CONCURRENCY: '0' }, logger: false })).rejects.toThrow(ConfigError);
    await expect(runApp('order', OrderModule, { env: { ...stack.env, KAFKA_BROKER: 'x:1' }, logger: false })).rejects.toThrow(
      /KAFKA_BROKER: unknown setting/,
    );
  });

  it('maps bad HTTP input to 4xx with stable codes', async () => {
    const app = await stack.start('shipment', EchoModule, { consume: false });
    const post = (body: string, type = 'application/json') =>
      fetch(`${app.url}/echo`, { method: 'POST', headers: { 'content-type': type }, body });
    const malformed = await post('{oops');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('MALFORMED_JSON');
    const invalid = await post(JSON.stringify({ n: -1 }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'n' }] });
    const huge = await post(JSON.stringify({ n: 1, pad: 'x'.repeat(100_000) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await post(JSON.stringify({ n: 2 }))).status).toBe(201);
    const missing = await fetch(`${app.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });
});
