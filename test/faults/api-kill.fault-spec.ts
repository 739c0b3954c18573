import mysql from 'mysql2/promise';
import { parseMysqlUrl } from '../../libs/database/src/mysql-url';
import { AppProcess } from './app-process';
import { settle, verify } from './invariants';
import { sleep } from './proc';
import { FaultStack, SAGA } from './stack';
import { seconds, summarize } from './summary';
import { openShop, Targets, Traffic } from './traffic';

/**
 * What a killed process left for its recovery path: outbox rows not yet deleted (published or not,
 * the sweep sends them again) and PENDING queued claims not marked sent (the reaper sends them).
 */
async function leftovers(stack: FaultStack): Promise<{ outbox: number; unsentClaims: number }> {
  const c = parseMysqlUrl(stack.env.DATABASE_URL);
  const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.user, password: c.password, database: c.database });
  try {
    const [[outbox]] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM outbox_event WHERE service = 'order'`);
    const [[claims]] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM coupon_claim WHERE path = 'KAFKA' AND status = 'PENDING' AND published_at IS NULL`,
    );
    return { outbox: Number(outbox.n), unsentClaims: Number(claims.n) };
  } finally {
    await conn.end();
  }
}

/** SIGKILLs a process while a burst of its requests is in flight; restarts it; returns the restart time. */
async function killUnderBurst(stack: FaultStack, proc: AppProcess, burst: Promise<void>) {
  await sleep(1500); // let the burst get going: commits are landing when the kill comes
  await proc.kill('SIGKILL');
  const left = await leftovers(stack);
  await burst.catch(() => undefined); // the requests to the dead process fail: not acknowledged, not counted
  const restart = await proc.restart();
  return { ...left, restart };
}

describe('fault: the API processes are SIGKILLed while they accept orders and queued claims', () => {
  let stack: FaultStack | undefined;
  afterAll(async () => {
    await Traffic.stopAll();
    await stack?.close();
  });

  it('every 201 order and 202 claim reaches the topic and a final state (outbox sweep, claim reaper)', async () => {
    // the reaper's age short, so the test need not wait long for it
    stack = await FaultStack.start('apikill', [...SAGA, { app: 'coupon' }], { COUPON_REAPER_AGE_MS: '3000', COUPON_REAPER_INTERVAL_MS: '1000' });
    const s = stack;
    const shop = await openShop(s, { total: 500, value: 300, users: 3000 });
    const targets: Targets = { orders: () => s.urls('order'), coupon: () => s.url('coupon') };
    const traffic = new Traffic(shop, targets, 300);

    const order = await killUnderBurst(s, s.get('order'), traffic.burst({ orders: 3000 }, 128));
    const coupon = await killUnderBurst(s, s.get('coupon'), traffic.burst({ claims: 4000 }, 128));

    const settled = await settle(s, targets, shop, 120_000);
    const verdict = await verify(s, traffic, shop, targets);
    summarize('API process SIGKILL', {
      'order app: outbox rows not yet deleted at kill': order.outbox,
      'order restart to /health 200 s': seconds(order.restart),
      'coupon app: PENDING claims not marked sent at kill': coupon.unsentClaims,
      'coupon restart to /health 200 s': seconds(coupon.restart),
      'settle s': seconds(settled),
      answers: traffic.describe(),
      ...verdict.figures,
    });
    expect(verdict.problems).toEqual([]);
    expect(settled).toBeDefined();
  }, 15 * 60_000);
});
