import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import '../request-queue-fix'; // before any client connects
import { baseEnv } from '@app/config';
import { replayDeadLetters } from './replay';

/**
 * npm run dlq:replay -- [--group order-service] [--topic order.created.v1] [--dry-run]
 * Honours KAFKA_BROKERS, KAFKA_TOPIC_PREFIX and KAFKA_GROUP_SUFFIX like the apps do. Each dead
 * letter is replayed once whatever filters successive runs use (see replayDeadLetters); a dry run
 * changes nothing.
 */
async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: { group: { type: 'string' }, topic: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const env = baseEnv.pick({ KAFKA_BROKERS: true, KAFKA_TOPIC_PREFIX: true, KAFKA_GROUP_SUFFIX: true }).parse(process.env);
  const kafka = new Kafka({ clientId: 'dlq-replayer', brokers: env.KAFKA_BROKERS, logLevel: logLevel.WARN });
  const dryRun = values['dry-run'] ?? false;
  const result = await replayDeadLetters({
    kafka,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    groupId: `dlq-replayer${env.KAFKA_GROUP_SUFFIX}`,
    groupSuffix: env.KAFKA_GROUP_SUFFIX,
    group: values.group,
    topic: values.topic,
    dryRun,
    log: (line) => console.log(line),
  });
  console.log(
    `${dryRun ? 'would replay' : 'replayed'} ${result.replayed} of ${result.scanned} dead-lettered messages ` +
      `(${result.skipped} not matched by the filters, left for another run; ${result.replayedBefore} replayed before)`,
  );
}

cli().catch((error) => {
  console.error(`dlq:replay failed: ${(error as Error).message}`);
  process.exit(1);
});
