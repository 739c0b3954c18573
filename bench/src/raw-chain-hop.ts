// One hop of the raw chain (bench/src/raw-chain.ts), run as its own process like a saga app: a
// kafkajs consumer of RAW_IN; each fetched batch is one MariaDB transaction (a multi-row INSERT of
// the hop's rows, committed), then one acknowledged send (acks=all) of the same ids to RAW_OUT.
// The last hop (RAW_OUT empty) only commits. No framework, no ORM, no outbox, no inbox: the
// ingredients the saga is built from, and nothing else. Offsets are committed the way the apps
// commit them (in the background, libs/kafka/src/consumer/offset-committer.ts).
import '@app/kafka/request-queue-fix';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { OffsetCommitter } from '@app/kafka/consumer/offset-committer';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`raw-chain-hop: ${name} is not set`);
  return v;
};

async function main(): Promise<void> {
  const hop = Number(env('RAW_HOP'));
  const input = env('RAW_IN');
  const output = process.env.RAW_OUT || '';
  const pool = mysql.createPool({ uri: env('RAW_DATABASE_URL'), connectionLimit: Number(env('RAW_POOL_SIZE')) });
  const kafka = new Kafka({
    clientId: `raw-chain-${hop}`,
    brokers: env('RAW_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
  // The saga's consumers' settings (libs/kafka/src/kafka-event.server.ts), so the limit is the
  // same transport tuned the same way.
  const consumer = kafka.consumer({ groupId: env('RAW_GROUP'), allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: input, fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
  const committer = new OffsetCommitter(200, () => undefined);
  await consumer.run({
    partitionsConsumedConcurrently: Number(env('RAW_CONCURRENCY')),
    autoCommit: false,
    eachBatch: async ({ batch, commitOffsetsIfNecessary, uncommittedOffsets }) => {
      if (batch.messages.length === 0) return;
      const ids = batch.messages.map((m) => m.key?.toString() ?? '');
      const at = new Date();
      const conn = await pool.getConnection();
      try {
        await conn.beginTransaction();
        await conn.query('INSERT INTO raw_chain_step (id, hop, at) VALUES ?', [ids.map((id) => [id, hop, at])]);
        await conn.commit();
      } catch (error) {
        await conn.rollback().catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
      if (output) await producer.send({ topic: output, acks: -1, messages: ids.map((id) => ({ key: id, value: id })) });
      committer.resolved(() => commitOffsetsIfNecessary(uncommittedOffsets()));
    },
  });
  const stop = () => {
    void consumer
      .disconnect()
      .then(() => producer.disconnect())
      .then(() => pool.end())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`raw-chain-hop failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
