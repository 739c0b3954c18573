import { GenericContainer, Wait } from 'testcontainers';

/** Kafka (KRaft) and MySQL 8 in containers, for machines with a Docker engine. */
export async function startContainers(want: { kafka: boolean; mysql: boolean }) {
  const ids: string[] = [];
  let brokers: string | undefined;
  let databaseUrl: string | undefined;
  if (want.kafka) {
    // A fixed host port: Kafka advertises the address clients must use.
    const kafka = await new GenericContainer('apache/kafka:4.1.2')
      .withExposedPorts({ container: 19092, host: 19092 })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093',
        KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:19092',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start();
    ids.push(kafka.getId());
    brokers = '127.0.0.1:19092';
  }
  if (want.mysql) {
    const mysql = await new GenericContainer('mysql:8.4')
      .withExposedPorts(3306)
      .withEnvironment({ MYSQL_ROOT_PASSWORD: 'test' })
      .withWaitStrategy(Wait.forLogMessage(/ready for connections.*port: 3306/))
      .start();
    ids.push(mysql.getId());
    databaseUrl = `mysql://root:test@${mysql.getHost()}:${mysql.getMappedPort(3306)}/commerce`;
  }
  return { ids, brokers, databaseUrl };
}

export async function stopContainers(ids: string[]): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  for (const id of ids) await client.container.getById(id).remove({ force: true });
}
