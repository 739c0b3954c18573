// The outbox relay against a real database and broker: deleting published rows locks those rows
// and no other. The outbox is small by design, so MariaDB plans a DELETE by a list of event ids
// that covers a fair part of it as a full scan, which locks every row of every service: the
// relay's DELETE then waited for any transaction still inserting outbox rows (and every commit
// waited for the DELETE; two relays deadlocked). Reproduced here with one uncommitted insert.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import mysql from 'mysql2/promise';
import { CommittedEvent, insertMany, OutboxSignal } from '@app/database';
import { EventProducer, OutboxRelay, topicName } from '@app/kafka';
import { readTopic } from '@app/kafka/ops/read-topic';
import { createTestStack, eventually, TestStack } from '../../../test/harness';

const TOPIC = 'relay.test.v1';
const row = (service: string, at: Date) => {
  const eventId = randomUUID();
  return { service, topic: TOPIC, key: eventId, event_id: eventId, value: JSON.stringify({ eventId }), created_at: at };
};

describe('OutboxRelay deleting published rows', () => {
  let stack: TestStack;
  let producer: EventProducer;
  let other: mysql.Connection;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    stack = await createTestStack('relay');
    await stack.admin.createTopics({
      topics: [{ topic: topicName(stack.topicPrefix, TOPIC), numPartitions: 1 }],
      waitForLeaders: true,
    });
    producer = new EventProducer(stack.kafka, stack.topicPrefix);
    await producer.connect();
    other = await mysql.createConnection(stack.databaseUrl);
  });
  afterAll(async () => {
    await other?.end();
    await producer?.disconnect();
    await stack?.close();
  });

  it('deletes its rows while another service has an outbox insert uncommitted, and touches no other row', async () => {
    const at = new Date();
    // another service's rows waiting for its relay, and this service's committed rows
    await insertMany(
      stack.prisma,
      'outbox_event',
      Array.from({ length: 600 }, () => row('other', at)),
    );
    const mine = Array.from({ length: 300 }, () => row('relay-test', at));
    await insertMany(stack.prisma, 'outbox_event', mine);
    // a transaction of another service still inserting its outbox row
    await other.beginTransaction();
    await other.query('INSERT INTO outbox_event (service, topic, `key`, event_id, value, created_at) VALUES (?)', [
      Object.values(row('other', at)),
    ]);

    const signal = new OutboxSignal();
    const relay = new OutboxRelay(stack.prisma, producer, signal, {
      service: 'relay-test',
      batchSize: 500,
      pollMs: 60_000,
    });
    signal.notify(mine.map((r): CommittedEvent => ({ topic: r.topic, eventId: r.event_id, key: r.key, value: r.value })));
    relay.start();
    try {
      // with the old scanning DELETE this waited for the open transaction (50 s lock wait)
      await eventually(
        "this service's published rows deleted",
        async () => ((await stack.prisma.outboxEvent.count({ where: { service: 'relay-test' } })) === 0 ? true : undefined),
        15_000,
      );
    } finally {
      await other.commit();
      await relay.stop();
    }
    expect(await stack.prisma.outboxEvent.count({ where: { service: 'other' } })).toBe(601);
    const published = await readTopic(stack.kafka, topicName(stack.topicPrefix, TOPIC), { timeoutMs: 30_000 });
    expect(published.map((m) => m.key?.toString()).sort()).toEqual(mine.map((r) => r.event_id).sort());
  });
});
