// The inbox retention job against a real database: rows past the retention are deleted in
// batches, younger ones kept, a duplicate of a recent event is still refused afterwards, and the
// scheduled job logs only what it deleted and survives a database it cannot reach.
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createEnvelope, Envelope, newId, Topic } from '@app/events';
import { DatabaseModule, DAY_MS, InboxRetention, OutboxSignal, parseMysqlUrl, PrismaService, UnitOfWork, withDatabase } from '@app/database';
import { dropDatabase, ensureDatabase, migrate } from '../src/migrate/runner';
import { createTestStack, eventually, TestStack } from '../../../test/harness';

let stack: TestStack;
let uow: UnitOfWork;
const CONSUMER = 'retention-test';

const released = (): Envelope<Topic.StockReleased> =>
  createEnvelope(Topic.StockReleased, { orderId: newId(), sku: 'apple', count: 1 }, { producer: 'test' });

/** Inserts `count` inbox rows processed `ageMs` ago (by the database clock, as the job reads it). */
async function insertAged(count: number, ageMs: number): Promise<void> {
  const values = Array.from({ length: count }, () => `('${CONSUMER}', '${newId()}', NOW(3) - INTERVAL ${ageMs * 1000} MICROSECOND)`);
  await stack.prisma.$executeRawUnsafe(`INSERT INTO processed_event (consumer, event_id, processed_at) VALUES ${values.join(',')}`);
}

const rowCount = () => stack.prisma.processedEvent.count({ where: { consumer: CONSUMER } });

beforeAll(async () => {
  stack = await createTestStack('inboxretention');
  uow = new UnitOfWork(stack.prisma, new OutboxSignal(), 'retention-test');
});
afterAll(() => stack?.close());
beforeEach(() => stack.prisma.processedEvent.deleteMany({ where: { consumer: CONSUMER } }));
afterEach(() => jest.restoreAllMocks());

describe('InboxRetention', () => {
  // first, on a table without rows deleted moments ago (those stay in the index until purged)
  it('finds expired rows through the processed_at index', async () => {
    // as between two runs: a few minutes' worth of expired rows in a week's worth of rows
    await insertAged(20, 8 * DAY_MS);
    await insertAged(2000, 0);
    // the statement as the job sends it: the cut-off is a string the database computed
    const [{ cutoff }] = await stack.prisma.$queryRawUnsafe<{ cutoff: string }[]>(
      "SELECT DATE_FORMAT(NOW(3) - INTERVAL 7 DAY, '%Y-%m-%d %H:%i:%s.%f') AS cutoff",
    );
    const [plan] = await stack.prisma.$queryRawUnsafe<{ key: string | null }[]>(
      'EXPLAIN DELETE FROM processed_event WHERE processed_at < ? ORDER BY processed_at LIMIT 1000',
      cutoff,
    );
    expect(plan.key).toBe('processed_event_processed_at_idx');
  });

  it('deletes rows past the retention in batches, keeps younger ones, and a recent duplicate is still refused', async () => {
    await insertAged(2500, 8 * DAY_MS);
    await insertAged(3, 6 * DAY_MS);
    const recent = released();
    let applied = 0;
    const apply = () => uow.runOnce(CONSUMER, recent, async () => void applied++);
    expect(await apply()).toBe(true);

    const retention = new InboxRetention(stack.prisma, { retentionMs: 7 * DAY_MS, batchSize: 1000 });
    expect(await retention.runOnce()).toMatchObject({ deleted: 2500, batches: 3 });
    expect(await rowCount()).toBe(4);
    expect(await stack.prisma.processedEvent.count({ where: { consumer: CONSUMER, eventId: recent.eventId } })).toBe(1);

    // the duplicate delivery of the recent event changes nothing
    expect(await apply()).toBe(false);
    expect(applied).toBe(1);
    expect(await retention.runOnce()).toMatchObject({ deleted: 0, batches: 1 });
    expect(await rowCount()).toBe(4);
  });

  it('runs on its own, never two runs at once, and logs one line only for a run that deleted something', async () => {
    const lines: string[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void lines.push(String(message)));
    await insertAged(250, 2000);
    const retention = new InboxRetention(stack.prisma, { retentionMs: 1000, batchSize: 100, intervalMs: 50 });
    const runs = jest.spyOn(retention, 'runOnce');
    retention.start();
    try {
      await eventually('the expired rows to be deleted', async () => ((await rowCount()) === 0 ? true : undefined));
      const overlapping = [retention.runOnce(), retention.runOnce()];
      expect(overlapping[0]).toBe(overlapping[1]);
      await Promise.all(overlapping);
      await eventually('a few more runs', async () => (runs.mock.calls.length >= 6 ? true : undefined));
    } finally {
      await retention.stop();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^deleted 250 processed_event row\(s\) processed before \d{4}-\d\d-\d\d [\d:.]+ in 3 batch\(es\)$/);
  });

  it('logs a failed run and tries again at the next one, without crashing', async () => {
    const warnings: string[] = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    // a database without the table: every run fails at once, until the table is created
    const url = withDatabase(stack.databaseUrl, `${parseMysqlUrl(stack.databaseUrl).database}_late`);
    await ensureDatabase(url);
    const late = new PrismaService(url, 1);
    const retention = new InboxRetention(late, { retentionMs: 1000, intervalMs: 50 });
    retention.start();
    try {
      await eventually('two failed runs', async () => (warnings.length >= 2 ? true : undefined));
      expect(warnings[0]).toMatch(/^inbox retention failed, will try again at the next run: .*processed_event/s);
      await migrate(url);
      await late.$executeRawUnsafe("INSERT INTO processed_event (consumer, event_id, processed_at) VALUES ('late', 'e1', NOW(3) - INTERVAL 1 HOUR)");
      await eventually('the expired row to be deleted by a later run', async () => ((await late.processedEvent.count()) === 0 ? true : undefined));
    } finally {
      await retention.stop();
      await late.$disconnect();
      await dropDatabase(url);
    }
  });

  it('is started with every app (DatabaseModule) and stopped before the database client disconnects', async () => {
    const start = jest.spyOn(InboxRetention.prototype, 'start');
    const stop = jest.spyOn(InboxRetention.prototype, 'stop');
    const disconnect = jest.spyOn(PrismaService.prototype, 'onApplicationShutdown');
    const app = await Test.createTestingModule({
      imports: [DatabaseModule.forRoot({ url: stack.databaseUrl, poolSize: 1, service: 'retention-test', inboxRetentionDays: 7 })],
    }).compile();
    await app.init();
    expect(start).toHaveBeenCalledTimes(1);
    await app.close();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(stop.mock.invocationCallOrder[0]).toBeLessThan(disconnect.mock.invocationCallOrder[0]);
  });
});
