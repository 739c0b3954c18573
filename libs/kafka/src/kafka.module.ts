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
import './request-queue-fix'; // before any client connects
import { OutboxSignal, PrismaService } from '@app/database';
import { EventProducer } from './event-producer';
import { DeadLetter } from './dead-letter';
import { OutboxRelay } from './outbox-relay';
import { ensureTopics, TopicLayout } from './topics';
import { KafkaEventServer } from './kafka-event.server';
import { backoffMs } from './consumer/backoff';

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
  /** Consumer group session and heartbeat (kafkajs sessionTimeout, heartbeatInterval). */
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** EventProducer's deadline for an acknowledgement. */
  sendTimeoutMs: number;
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

// Background connection: first retry after 250 ms, doubling up to 5 s.
const CONNECT_BACKOFF = { initialMs: 250, maxMs: 5000 };

/**
 * Connects the process to Kafka — topics, producer, outbox relay — in the background, retrying
 * with capped backoff, so that an app serves HTTP (and /health says why it is not ready) while
 * the broker is down. ready() resolves once the topics exist and the producer is connected; the
 * consumer transport waits for it before it subscribes.
 */
@Injectable()
export class KafkaRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly admin: Admin;
  private readonly readiness: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: Error) => void };
  private connected = false;
  private adminConnected = false;
  private closed = false;
  private lastError?: string;
  private wake?: () => void;
  private readonly log = new Logger('KafkaRuntime');

  constructor(
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaOptions,
    private readonly kafka: Kafka,
    private readonly producer: EventProducer,
    private readonly relay: OutboxRelay,
    private readonly deadLetter: DeadLetter,
  ) {
    // Few retries of its own: the connection loop below retries, and /health must get a quick answer.
    this.admin = kafka.admin({ retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 2 } });
    this.readiness = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // a close before Kafka was ever reached rejects ready(); that is only an error for its callers
    this.readiness.catch(() => undefined);
  }

  onModuleInit(): void {
    void this.connectUntilReady();
  }

  onApplicationBootstrap(): void {
    this.readiness.then(
      () => this.relay.start(),
      () => undefined,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.settle.reject(new Error('Kafka runtime closed before it was ready'));
    this.wake?.();
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  /** Resolves once the topics exist and the producer is connected; rejects if the app closes first. */
  ready(): Promise<void> {
    return this.readiness;
  }

  /** Whether ready() has resolved, and if not, the last connection error. */
  status(): { ready: boolean; error?: string } {
    return this.connected ? { ready: true } : { ready: false, error: this.lastError ?? 'connecting' };
  }

  /** For /health: resolves when the cluster answers. */
  async ping(): Promise<void> {
    if (!this.adminConnected) throw new Error(this.lastError ?? 'connecting');
    await this.admin.describeCluster();
  }

  private async connectUntilReady(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        if (!this.adminConnected) {
          await this.admin.connect();
          this.adminConnected = true;
        }
        if (!this.closed) await ensureTopics(this.admin, this.options.topicPrefix, this.options.layout);
        if (!this.closed) await this.producer.connect();
        if (this.closed) break;
        this.connected = true;
        this.lastError = undefined;
        if (attempt > 1) this.log.log(`Kafka ready after ${attempt} attempts`);
        this.settle.resolve();
        return;
      } catch (error) {
        this.lastError = (error as Error)?.message ?? String(error);
        const delay = backoffMs(attempt, CONNECT_BACKOFF.initialMs, CONNECT_BACKOFF.maxMs);
        // the first failure and then about every minute: the broker may simply not be up yet
        if (attempt === 1 || attempt % 12 === 0) {
          this.log.warn(`Kafka not ready (${this.options.brokers.join(',')}: ${this.lastError}); retrying in the background`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
    // Closed while connecting (shutdown does not wait for a connect in flight, kafkajs retries
    // it for seconds): release whatever this attempt connected after the shutdown hooks ran.
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  /** The consumer transport for this app's @OnEvent handlers; it subscribes once ready() resolved. */
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
      ready: () => this.ready(),
      sessionTimeoutMs: o.sessionTimeoutMs,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
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
            new Kafka({
              clientId: options.service,
              brokers: options.brokers,
              logLevel: logLevel.WARN,
              logCreator,
              // reconnect tries at most 1 s apart (kafkajs' default backs off to 30 s): a client
              // finds a restarted broker within a second
              retry: { initialRetryTime: 300, maxRetryTime: 1000, retries: 10 },
            }),
        },
        {
          provide: EventProducer,
          inject: [Kafka],
          useFactory: (k: Kafka) => new EventProducer(k, options.topicPrefix, { sendTimeoutMs: options.sendTimeoutMs }),
        },
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
