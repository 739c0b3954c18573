import { Logger } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { EventProducer } from '@app/kafka';
import { QueuedClaim } from './claim-decision';
import { ClaimReaper, REAP_BATCH, ReaperEnv } from './claim-reaper';
import { ClaimsRepository } from './claims.repository';

type Reap = Pick<ClaimsRepository, 'reapUnpublished'>;
type Publish = Pick<EventProducer, 'publish'>;

interface Row extends QueuedClaim {
  status: 'PENDING' | 'ISSUED';
  createdAt: number;
  publishedAt?: number;
}

/**
 * coupon_claim in memory, with reapUnpublished's contract: PENDING, unpublished, older than the
 * cut-off, oldest first, rows locked by another round skipped, marked only after `send` resolved.
 */
class ClaimTable implements Reap {
  readonly rows: Row[] = [];
  private readonly locked = new Set<string>();

  add(n: number, ageMs: number, over: Partial<Row> = {}): Row[] {
    const added = Array.from({ length: n }, (_, i) => ({
      claimId: `c-${this.rows.length + i}`,
      couponId: 1,
      userId: this.rows.length + i,
      status: 'PENDING' as const,
      createdAt: Date.now() - ageMs - n + i, // all at least ageMs old, in insertion order
      ...over,
    }));
    this.rows.push(...added);
    return added;
  }

  async reapUnpublished(before: Date, limit: number, send: (claims: QueuedClaim[]) => Promise<void>): Promise<number> {
    const due = this.rows
      .filter((r) => r.status === 'PENDING' && r.publishedAt === undefined && r.createdAt < before.getTime() && !this.locked.has(r.claimId))
      .sort((a, b) => a.createdAt - b.createdAt || a.claimId.localeCompare(b.claimId))
      .slice(0, limit);
    if (due.length === 0) return 0;
    for (const r of due) this.locked.add(r.claimId);
    try {
      await send(due.map(({ claimId, couponId, userId }) => ({ claimId, couponId, userId })));
      for (const r of due) r.publishedAt = Date.now();
      return due.length;
    } finally {
      for (const r of due) this.locked.delete(r.claimId);
    }
  }

  get unpublished(): number {
    return this.rows.filter((r) => r.status === 'PENDING' && r.publishedAt === undefined).length;
  }
}

/** The producer: records what it was asked to publish; can be told to fail or to take its time. */
class Broker implements Publish {
  readonly sent: Envelope<Topic.CouponClaimRequested>[] = [];
  failing = false;
  delayMs = 0;
  inFlight = 0;
  maxInFlight = 0;

  async publish(envelopes: Envelope[]): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await sleep(this.delayMs);
      if (this.failing) throw new Error('broker unavailable');
      this.sent.push(...(envelopes as Envelope<Topic.CouponClaimRequested>[]));
    } finally {
      this.inFlight--;
    }
  }

  ids(): string[] {
    return this.sent.map((e) => e.payload.claimId);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const AGE_MS = 10_000;

function setup(env: Partial<ReaperEnv> = {}, table = new ClaimTable(), broker = new Broker()) {
  const sut = new ClaimReaper(table, broker, { COUPON_REAPER_INTERVAL_MS: 20, COUPON_REAPER_AGE_MS: AGE_MS, ...env });
  return { sut, table, broker };
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

beforeAll(() => Logger.overrideLogger(false));

describe('ClaimReaper.reapOnce', () => {
  it('re-sends only PENDING, never-acknowledged claims older than the age, oldest first, then marks them', async () => {
    const { sut, table, broker } = setup();
    const orphans = table.add(3, AGE_MS + 5000);
    table.add(1, AGE_MS + 5000, { status: 'ISSUED' });
    table.add(1, AGE_MS + 5000, { publishedAt: Date.now() });
    table.add(2, 1000); // young: its own send may still be on the way

    expect(await sut.reapOnce()).toBe(3);
    expect(broker.ids()).toEqual(orphans.map((o) => o.claimId));
    expect(await sut.reapOnce()).toBe(0);
    expect(broker.sent).toHaveLength(3);
  });

  it("sends each claim as its CouponClaimRequested with the claim's own correlation id", async () => {
    const { sut, table, broker } = setup();
    const [orphan] = table.add(1, AGE_MS + 1);
    await sut.reapOnce();
    expect(broker.sent[0]).toMatchObject({
      type: Topic.CouponClaimRequested,
      correlationId: orphan.claimId,
      producer: 'coupon',
      payload: { claimId: orphan.claimId, couponId: orphan.couponId, userId: orphan.userId },
    });
  });

  it('leaves claims unmarked when the send fails, and sends them in a later round', async () => {
    const { sut, table, broker } = setup();
    table.add(4, AGE_MS + 1);
    broker.failing = true;
    await expect(sut.reapOnce()).rejects.toThrow('broker unavailable');
    expect(table.unpublished).toBe(4);
    broker.failing = false;
    expect(await sut.reapOnce()).toBe(4);
    expect(table.unpublished).toBe(0);
  });

  it('sends at most one batch per round', async () => {
    const { sut, table } = setup();
    table.add(REAP_BATCH + 7, AGE_MS + 1);
    expect(await sut.reapOnce()).toBe(REAP_BATCH);
    expect(await sut.reapOnce()).toBe(7);
  });

  it('two reapers at once (two instances) send every claim exactly once between them', async () => {
    const table = new ClaimTable();
    const broker = new Broker();
    broker.delayMs = 10;
    const a = setup({}, table, broker).sut;
    const b = setup({}, table, broker).sut;
    table.add(REAP_BATCH * 3 + 11, AGE_MS + 1);
    const rounds = async (r: ClaimReaper) => {
      while ((await r.reapOnce()) > 0);
    };
    await Promise.all([rounds(a), rounds(b)]);
    const ids = broker.ids();
    expect(ids).toHaveLength(table.rows.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(table.unpublished).toBe(0);
  });
});

describe('ClaimReaper loop', () => {
  it('at bootstrap, takes its first round after one interval (the producer connects meanwhile)', async () => {
    const { sut, table, broker } = setup({ COUPON_REAPER_INTERVAL_MS: 150 });
    table.add(2, AGE_MS + 1);
    sut.onApplicationBootstrap();
    await sleep(50);
    expect(broker.sent).toHaveLength(0);
    await until(() => broker.sent.length === 2);
    await sut.beforeApplicationShutdown();
  });

  it('drains full rounds back to back, without waiting out the interval between them', async () => {
    const { sut, table, broker } = setup({ COUPON_REAPER_INTERVAL_MS: 60_000 });
    table.add(REAP_BATCH * 2 + 3, AGE_MS + 1);
    sut.start(0);
    await until(() => broker.sent.length === REAP_BATCH * 2 + 3);
    await sut.stop();
  });

  it('picks up claims that become due later, on its interval', async () => {
    const { sut, table, broker } = setup({ COUPON_REAPER_INTERVAL_MS: 20 });
    sut.start(0);
    await sleep(50);
    table.add(2, AGE_MS + 1);
    await until(() => broker.sent.length === 2);
    await sut.stop();
  });

  it('keeps going after a failed round (broker or database away) and sends once it is back', async () => {
    const { sut, table, broker } = setup({ COUPON_REAPER_INTERVAL_MS: 20 });
    table.add(5, AGE_MS + 1);
    broker.failing = true;
    sut.start(0);
    await sleep(100);
    expect(broker.sent).toHaveLength(0);
    broker.failing = false;
    await until(() => broker.sent.length === 5);
    await sut.stop();
    expect(new Set(broker.ids()).size).toBe(5);
  });

  it('never overlaps itself, even when a round takes longer than the interval', async () => {
    const { sut, table, broker } = setup({ COUPON_REAPER_INTERVAL_MS: 1 });
    broker.delayMs = 30;
    table.add(REAP_BATCH * 2, AGE_MS + 1);
    sut.start(0);
    sut.start(0); // a second start is a no-op
    await until(() => broker.sent.length === REAP_BATCH * 2);
    await sut.stop();
    expect(broker.maxInFlight).toBe(1);
  });

  it('stop() wakes a sleeping loop at once and waits for the round in flight; nothing runs after it', async () => {
    const slow = setup({ COUPON_REAPER_INTERVAL_MS: 60_000 });
    slow.sut.start(); // asleep until its first round, a minute away
    await sleep(20);
    const started = Date.now();
    await slow.sut.stop();
    expect(Date.now() - started).toBeLessThan(1000);

    const { sut, table, broker } = setup({ COUPON_REAPER_INTERVAL_MS: 20 });
    broker.delayMs = 100;
    table.add(3, AGE_MS + 1);
    sut.start(0);
    await until(() => broker.inFlight === 1);
    await sut.stop();
    expect(broker.sent).toHaveLength(3); // the round in flight finished
    table.add(3, AGE_MS + 1);
    await sleep(60);
    expect(broker.sent).toHaveLength(3);
  });
});
