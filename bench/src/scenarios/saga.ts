import { Bench, profileArgs, runReps } from '../context';
import { http } from '../http';
import { load, newHistogram, percentiles, recordMicros } from '../load';
import { RawChainRun } from '../raw-chain';
import { SagaCheck, SagaRun, Scenarios } from '../types';
import { orderIdsSince, sagaIdle, startRawChain, traceOrders } from './saga-latency';
import { errorText, log, median, round, sleep } from '../util';

const SAGA_APPS = ['order', 'stock', 'payment', 'shipment'] as const;

/**
 * How many processes the order app runs as (BENCH_ORDER_PROCESSES, default 2): with 2, one answers
 * HTTP and publishes OrderCreated (KAFKA_CONSUMERS=off) and the other consumes the saga's five
 * topics — the deployment the coupon app gets here too, so that POST /orders and the saga's last
 * hop do not queue behind each other in one event loop. With 1, one process does both.
 */
export const orderProcesses = (env: NodeJS.ProcessEnv): 1 | 2 => (env.BENCH_ORDER_PROCESSES === '1' ? 1 : 2);

/**
 * The idle saga and its limit (the raw four-hop chain), the saga at saturation (a burst of orders)
 * and at 30 % and 70 % of it (open model) with the raw chain at the same rates, and a per-hop trace
 * of each run. Stock, payment and shipment run one process each, the order app one or two
 * (orderProcesses); notification only observes, so it is not started and does not compete for the
 * cores with the services on the critical path.
 */
export async function sagaScenarios(bench: Bench, S: Scenarios): Promise<void> {
  const { config, procs, counts } = bench;
  const split = orderProcesses(config.env) === 2;
  log(`starting order${split ? ' (API and worker processes)' : ''}, stock, payment, shipment`);
  for (const app of SAGA_APPS) {
    const env = app === 'order' && split ? { ...config.env, KAFKA_CONSUMERS: 'off' } : config.env;
    procs.start(app, [...profileArgs(config), `dist/apps/${app}/src/main.js`], env);
  }
  if (split) {
    procs.start('order-worker', [...profileArgs(config), 'dist/apps/order/src/main.js'], {
      ...config.env,
      ORDER_PORT: String(config.ports.orderWorker),
    });
  }
  try {
    await Promise.all([
      ...SAGA_APPS.map((app) => procs.waitHealthy(app, config.ports[app])),
      ...(split ? [procs.waitHealthy('order-worker', config.ports.orderWorker)] : []),
    ]);
    await http('PUT', config.ports.stock, '/stock/BENCH-SKU', { available: 1_000_000, price: 100 }, bench.tokens.operator).catch(
      async (error: unknown) => {
        log(`PUT /stock failed (${errorText(error)}); seeding the product with SQL`);
        await bench.db.exec(
          "INSERT INTO stock_product (sku, available, reserved, price, updated_at) VALUES ('BENCH-SKU', 10000000, 0, 100, NOW(3)) ON DUPLICATE KEY UPDATE available = 10000000",
        );
      },
    );
    await sagaRun(bench, 'warm-up', { amount: 50 });
    log(`saga idle: ${counts.idleOrders} orders one at a time`);
    const idle = await sagaIdle(bench, counts.idleOrders);
    log('starting the raw four-hop chain (the saga limit)');
    const chain = await startRawChain(bench);
    try {
      const rawIdle = await chain.idle(counts.idleOrders);
      const saturation = await runReps(bench, 'saga at saturation', async (i) => {
        const r = await sagaRun(bench, `saturation #${i}`, { amount: counts.orders });
        r.invariants = await sagaInvariants(bench, `saturation #${i}`);
        return r;
      });
      const satRate = median(saturation.map((r) => r.completedPerSec));
      const fixedRate: Record<string, SagaRun[]> = {};
      const rawFixed: Record<string, RawChainRun[]> = {};
      for (const f of [0.3, 0.7]) {
        const rate = Math.max(1, Math.round(f * satRate));
        const key = `${Math.round(f * 100)}%`;
        fixedRate[key] = await runReps(bench, `saga at ${rate}/s`, async (i) => {
          const r = await sagaRun(bench, `rate ${rate} #${i}`, {
            amount: Math.ceil(rate * counts.rateSeconds),
            rate,
            trace: true,
          });
          r.invariants = await sagaInvariants(bench, `rate ${rate} #${i}`);
          return { ...r, rate };
        });
        // the limit at the same rate, for as long
        rawFixed[key] = await runReps(bench, `raw chain at ${rate}/s`, () => chain.atRate(rate, counts.rateSeconds));
      }
      S.saga = { idle, saturation, fixedRate, rawChain: { idle: rawIdle, fixedRate: rawFixed } };
    } finally {
      await chain.stop();
    }
  } catch (error) {
    const first = errorText(error).split('\n')[0];
    S.saga = { skipped: `saga apps not working: ${first}` };
    bench.failures.push(`saga: ${first}`);
  }
}

/** POSTs orders (closed model, or open at `rate`), waits until all are terminal, reads POST -> COMPLETED from the rows. */
async function sagaRun(
  bench: Bench,
  label: string,
  { amount, rate, trace = false }: { amount: number; rate?: number; trace?: boolean },
): Promise<SagaRun> {
  const { db, counts } = bench;
  const { buyer } = bench.tokens;
  const { m } = await db.row<{ m: Date }>(
    'SELECT COALESCE(MAX(created_at), NOW(3) - INTERVAL 1 SECOND) AS m FROM order_order',
  );
  const r = await load({
    port: bench.config.ports.order,
    path: '/orders',
    amount,
    rate,
    connections: rate ? Math.max(50, counts.conns) : counts.conns,
    bodyFor: () => ({ kind: 'BENCH-SKU', count: 1 }),
    tokenFor: () => buyer,
  });
  const deadline = Date.now() + 120_000;
  let open = 0;
  for (;;) {
    const row = await db.row<{ n: number }>(
      "SELECT COUNT(*) AS n FROM order_order WHERE created_at > ? AND status NOT IN ('COMPLETED', 'REJECTED', 'CANCELLED')",
      [m],
    );
    open = Number(row.n);
    if (open === 0 || Date.now() > deadline) break;
    await sleep(200);
  }
  const rows = await db.rows<{ status: string; us: number; c: Date; u: Date }>(
    'SELECT status, TIMESTAMPDIFF(MICROSECOND, created_at, updated_at) AS us, created_at AS c, updated_at AS u FROM order_order WHERE created_at > ?',
    [m],
  );
  const byStatus: Record<string, number> = {};
  const h = newHistogram();
  let first = Infinity;
  let last = 0;
  for (const row of rows) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    if (row.status === 'COMPLETED') {
      recordMicros(h, Number(row.us));
      first = Math.min(first, new Date(row.c).getTime());
      last = Math.max(last, new Date(row.u).getTime());
    }
  }
  if (open > 0) bench.failures.push(`saga ${label}: ${open} orders not terminal after 120 s`);
  const completed = byStatus.COMPLETED ?? 0;
  const hops = trace ? await traceOrders(bench, await orderIdsSince(bench, m)) : undefined;
  return {
    ...r,
    ...(hops ? { hops } : {}),
    orders: rows.length,
    byStatus,
    completedPerSec: round(completed / Math.max(0.001, (last - first) / 1000), 1),
    endToEndMs: percentiles(h),
    allTerminal: open === 0,
  };
}

/** Stock reserved == open reservations. */
async function sagaInvariants(bench: Bench, label: string): Promise<SagaCheck> {
  const [p] = await bench.db.rows<{ reserved: number; available: number }>(
    "SELECT reserved, available FROM stock_product WHERE sku = 'BENCH-SKU'",
  );
  const r = await bench.db.row<{ n: number }>("SELECT COUNT(*) AS n FROM stock_reservation WHERE status = 'RESERVED'");
  const ok = p !== undefined && Number(p.reserved) === Number(r.n);
  if (!ok) bench.failures.push(`saga ${label}: stock reserved ${p?.reserved} != open reservations ${r.n}`);
  return { ok, reserved: p?.reserved, openReservations: Number(r.n) };
}
