import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Admin, Kafka, logLevel, LogEntry } from 'kafkajs';
import { OutboxSignal, PrismaService } from '@app/database';
import { EventProducer } from './event-producer';
import { DeadLetter } from './dead-letter';
import { OutboxRelay } from './outbox-relay';
import { ensureTopics, TopicLayout } from './topics';
import { KafkaEventServer } from './kafka-event.server';

export interface KafkaOptions {
  service: string;
  brokers: string[];
  topicPrefix: string;
  groupId: string;
  layout: TopicLayout;
  concurrency: number;
  maxRetries: number;
  retryBackoffMs: number;
  outboxBatchSize: number;
  outboxPollMs: number;
}
export const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');

const kafkaLog = new Logger('kafkajs');
// Conditions kafkajs retries by itself, typical while a fresh broker elects its coordinators or
// several apps create the same topics at once: not worth an ERROR line.
const RETRIED = /coordinator is loading|coordinator is not available|Topic creation errors|no leader|not the leader/i;
const logCreator = () => (entry: LogEntry) => {
  const text = `${entry.log.message}${entry.log.error ? `: ${entry.log.error}` : ''}`;
  if (RETRIED.test(text)) kafkaLog.debug(text);
  else if (entry.level <= logLevel.ERROR) kafkaLog.error(text);
  else kafkaLog.warn(text);
};

/** Connects the process to Kafka: topics, producer, outbox relay, health, and the consumer transport. */
@Injectable()
export class KafkaRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly admin: Admin;

  constructor(
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaOptions,
    private readonly kafka: Kafka,
    private readonly producer: EventProducer,
    private readonly relay: OutboxRelay,
    private readonly deadLetter: DeadLetter,
  ) {
    this.admin = kafka.admin();
  }

  async onModuleInit(): Promise<void> {
    await this.admin.connect();
    await ensureTopics(this.admin, this.options.topicPrefix, this.options.layout);
    await this.producer.connect();
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  /** For /health: resolves when the cluster answers. */
  async ping(): Promise<void> {
    await this.admin.describeCluster();
  }

  /** The consumer transport for this app's @OnEvent handlers. */
  createServer(): KafkaEventServer {
    const o = this.options;
    return new KafkaEventServer({
      kafka: this.kafka,
      groupId: o.groupId,
      topicPrefix: o.topicPrefix,
      concurrency: o.concurrency,
      maxRetries: o.maxRetries,
      retryBackoffMs: o.retryBackoffMs,
      deadLetter: this.deadLetter,
    });
  }
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaOptions): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: KAFKA_OPTIONS, useValue: options },
        {
          provide: Kafka,
          useFactory: () =>
            new Kafka({ clientId: options.service, brokers: options.brokers, logLevel: logLevel.WARN, logCreator }),
        },
        { provide: EventProducer, inject: [Kafka], useFactory: (k: Kafka) => new EventProducer(k, options.topicPrefix) },
        { provide: DeadLetter, inject: [EventProducer], useFactory: (p: EventProducer) => new DeadLetter(p) },
        {
          provide: OutboxRelay,
          inject: [PrismaService, EventProducer, OutboxSignal],
          useFactory: (prisma: PrismaService, producer: EventProducer, signal: OutboxSignal) =>
            new OutboxRelay(prisma, producer, signal, {
              service: options.service,
              batchSize: options.outboxBatchSize,
              pollMs: options.outboxPollMs,
            }),
        },
        KafkaRuntime,
      ],
      exports: [KAFKA_OPTIONS, Kafka, EventProducer, DeadLetter, OutboxRelay, KafkaRuntime],
    };
  }
}
