import { Kafka, logLevel } from 'kafkajs';
import '../request-queue-fix'; // before any client connects
import { baseEnv } from '@app/config';
import { describeConsumerGroups, formatConsumerGroups } from './consumer-groups';

/**
 * `npm run ops:groups [-- --json]`: every consumer group on our topics (KAFKA_TOPIC_PREFIX) of
 * the cluster at KAFKA_BROKERS, with members, assignment, committed/end offsets and lag.
 */
async function run(): Promise<void> {
  const env = baseEnv.pick({ KAFKA_BROKERS: true, KAFKA_TOPIC_PREFIX: true }).parse({
    KAFKA_BROKERS: process.env.KAFKA_BROKERS || undefined,
    KAFKA_TOPIC_PREFIX: process.env.KAFKA_TOPIC_PREFIX || undefined,
  });
  const admin = new Kafka({ clientId: 'ops-groups', brokers: env.KAFKA_BROKERS, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const groups = await describeConsumerGroups(admin, env.KAFKA_TOPIC_PREFIX);
    console.log(process.argv.includes('--json') ? JSON.stringify(groups, null, 2) : formatConsumerGroups(groups));
  } finally {
    await admin.disconnect();
  }
}

run().catch((error: Error) => {
  console.error(`ops:groups failed: ${error.message}`);
  process.exit(1);
});
