import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Envelope, Topic } from '@app/events';
import { DeadLetter } from './dead-letter';
import { BatchExtras } from './consumer.decorators';
import { logicalTopic, topicName } from './topics';
import { kafkaMetrics } from './kafka.metrics';
import { backoffMs, sleep } from './consumer/backoff';
import { ConsumerHealth, ConsumerStateTracker } from './consumer/consumer-state';
import { decodeBatch } from './consumer/decode';
import { InfraHold, PartitionReleased } from './consumer/infra-hold';
import { invoke, KafkaEventContext } from './consumer/invoke';
import { BatchMerger } from './consumer/merge';
import { OffsetCommitter } from './consumer/offset-committer';
import { settle } from './consumer/settle';

export { KafkaEventContext } from './consumer/invoke';
export type { ConsumerHealth } from './consumer/consumer-state';

export interface KafkaEventServerOptions {
  kafka: Kafka;
  groupId: string;
  topicPrefix: string;
  /** Partitions processed in parallel by this instance (kafkajs partitionsConsumedConcurrently). */
  concurrency: number;
  /** Retries (with backoff) of a message failing with an unknown error before it is dead-lettered. */
  maxRetries: number;
  retryBackoffMs: number;
  deadLetter: DeadLetter;
  /** Resolves when the broker is reachable and the topics exist; awaited before subscribing. */
  ready?: () => Promise<void>;
  /** Group session: a member not heard from for this long is dropped (kafkajs default 30 s). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Longest wait between two tries of a partition held by an unavailable dependency (default 5 s). */
  holdCapMs?: number;
}

const DEFAULT_MAX_BATCH = 500;
const DEFAULT_HOLD_CAP_MS = 5000;
/** Resolved offsets are committed in the background at most this often (see OffsetCommitter). */
const COMMIT_INTERVAL_MS = 200;

const describe = (error: unknown): string => (error as Error)?.message ?? String(error);

/**
 * A Nest microservice transport on kafkajs for @OnEvent / @OnEventBatch handlers. The delivery
 * rules (README, "Reliability"):
 * - an offset is committed only after its message was applied or dead-lettered;
 * - poison (undecodable, fails its contract, or a permanent handler error) is dead-lettered at
 *   once, with the error in dlq-* headers, and the partition moves on;
 * - infrastructure failures (database or broker unavailable) are never dead-lettered: the
 *   partition is held and retried with capped backoff until the dependency is back;
 * - unknown failures are retried a few times, then dead-lettered;
 * - a failing batch is bisected, so one poison event among n costs O(log n) transactions.
 * The units: decode.ts, merge.ts, infra-hold.ts, settle.ts, failure.ts.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private closed = false;
  private readonly merger = new BatchMerger();
  private readonly tracker = new ConsumerStateTracker();
  private readonly holds = new Set<InfraHold>();
  private holdReason?: string;
  private committer = this.newCommitter();
  private readonly log = new Logger('KafkaEventServer');

  constructor(private readonly options: KafkaEventServerOptions) {
    super();
  }

  /**
   * Returns at once: the consumer connects and joins its group in the background (retrying while
   * the broker is unreachable), so the app serves HTTP meanwhile; /health says 'starting'.
   */
  listen(callback: (error?: unknown) => void): void {
    if (this.messageHandlers.size === 0) this.tracker.set('joined');
    else void this.startUntilRunning();
    callback();
  }

  /** Resolves when the consumer first joined its group (at once for an app without handlers). */
  joined(): Promise<void> {
    return this.messageHandlers.size === 0 ? Promise.resolve() : this.tracker.firstJoin;
  }

  health(): ConsumerHealth {
    const paused = [...this.holds].filter((h) => h.held).length;
    const { state, reason } = this.tracker;
    return { state, pausedPartitions: paused, ...(reason || paused ? { reason: paused ? this.holdReason : reason } : {}) };
  }

  private async startUntilRunning(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        this.tracker.set('starting', describe(error));
        this.log.warn(`consumer of ${this.options.groupId} could not start, will retry: ${describe(error)}`);
        await this.consumer?.disconnect().catch(() => undefined);
        this.consumer = undefined;
        await sleep(backoffMs(attempt, 500, 5000));
      }
    }
  }

  private async start(): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    const { kafka, groupId, topicPrefix, concurrency } = this.options;
    await this.options.ready?.();
    if (this.closed) return;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3000,
      // When the broker dies kafkajs crashes the consumer and restarts it after the last retry
      // time; its reconnect attempts then follow this policy. Tries at most 1 s apart find the
      // broker within a second of its return; the rejoin then waits for the coordinator to drop
      // the crashed member (KAFKA_SESSION_TIMEOUT_MS). Measured: resumed 8-14 s after the broker.
      retry: { initialRetryTime: 300, maxRetryTime: 1000, retries: 20 },
    });
    this.consumer = consumer;
    this.committer.cancel();
    this.committer = this.newCommitter();
    this.tracker.watch(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: topics.map((t) => topicName(topicPrefix, t)), fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: concurrency,
      eachBatchAutoResolve: false,
      // committed by this.committer, off the fetch path
      autoCommit: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    if (this.closed) await consumer.disconnect();
    this.log.log(`group ${groupId} consuming ${topics.join(', ')} (concurrency ${concurrency})`);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const topic = logicalTopic(this.options.topicPrefix, batch.topic) as Topic;
    const handler = this.messageHandlers.get(topic);
    if (!handler) return;
    const extras = handler.extras as Partial<BatchExtras> | undefined;
    const chunk = extras?.batch ? (extras.maxBatch ?? DEFAULT_MAX_BATCH) : batch.messages.length;
    const hold = this.newHold(payload, topic);
    this.holds.add(hold);
    // kafkajs heartbeats only when asked: keep the membership alive while a call runs long (a
    // database outage makes each try wait for the pool's acquire timeout, about 10 s, as long as
    // the session). A failed heartbeat (rebalance) surfaces through isStale / the hold.
    const keepAlive = setInterval(() => void payload.heartbeat().catch(() => undefined), this.options.heartbeatIntervalMs ?? 3000);
    try {
      for (let i = 0; i < batch.messages.length; i += chunk) {
        if (!payload.isRunning() || payload.isStale()) return;
        await this.handleChunk(payload, topic, handler, hold, batch.messages.slice(i, i + chunk));
      }
    } catch (error) {
      // Stopped or rebalanced while held: the rest of the batch is not committed and comes again.
      if (!(error instanceof PartitionReleased)) throw error;
    } finally {
      clearInterval(keepAlive);
      this.holds.delete(hold);
      // closing: commit before the group is left (disconnect waits for this batch)
      if (this.closed) await this.committer.flush();
    }
  }

  private newCommitter(): OffsetCommitter {
    return new OffsetCommitter(COMMIT_INTERVAL_MS, (error) =>
      this.log.debug(`offset commit of ${this.options.groupId} failed (redelivered, then skipped by the inbox): ${describe(error)}`),
    );
  }

  private newHold(payload: EachBatchPayload, topic: Topic): InfraHold {
    const where = `${topic}[${payload.batch.partition}]`;
    return new InfraHold({
      baseMs: this.options.retryBackoffMs,
      capMs: this.options.holdCapMs ?? DEFAULT_HOLD_CAP_MS,
      heartbeat: payload.heartbeat,
      isActive: () => payload.isRunning() && !payload.isStale() && !this.closed,
      onHold: (error) => {
        this.holdReason = `${where} held: ${describe(error)}`;
        kafkaMetrics.messages.inc({ topic, group: this.options.groupId, outcome: 'held' });
        this.log.warn(`${where} held until its dependency is back: ${describe(error)}`);
      },
      onResume: (ms) => this.log.log(`${where} resumed after ${(ms / 1000).toFixed(1)} s`),
    });
  }

  private async handleChunk(
    payload: EachBatchPayload,
    topic: Topic,
    handler: MessageHandler,
    hold: InfraHold,
    messages: KafkaMessage[],
  ): Promise<void> {
    const { batch, resolveOffset, heartbeat } = payload;
    // applied or parked: the offset is resolved and committed in the background (OffsetCommitter)
    const resolve = (offset: string) => {
      resolveOffset(offset);
      this.committer.resolved(() => payload.commitOffsetsIfNecessary(payload.uncommittedOffsets()));
    };
    const group = this.options.groupId;
    const items = decodeBatch(topic, messages);
    const asBatch = Boolean(handler.extras?.batch);
    const settleOptions = {
      hold,
      maxRetries: this.options.maxRetries,
      retryBackoffMs: this.options.retryBackoffMs,
      onRetry: () => kafkaMetrics.messages.inc({ topic, group, outcome: 'retried' }),
      deadLetter: (item: { message: KafkaMessage }, error: unknown, attempts: number) =>
        this.deadLetter(batch.topic, batch.partition, item.message, error, attempts),
    };
    const call = (list: { event: Envelope; message: KafkaMessage }[]) => {
      const stop = kafkaMetrics.handlerSeconds.startTimer({ topic, group });
      const data = asBatch ? list.map((i) => i.event) : list[0].event;
      const context = asBatch ? undefined : new KafkaEventContext([batch.topic, batch.partition, list[0].message.offset]);
      return invoke(handler, data, context).finally(stop);
    };

    if (asBatch) {
      // Undecodable messages are parked first; the valid ones go as one call, merged with the
      // batches in flight for the same handler, and are settled alone only if that fails.
      const valid: { event: Envelope; message: KafkaMessage }[] = [];
      for (const item of items) {
        if ('event' in item) valid.push(item);
        else await hold.run(() => this.deadLetter(batch.topic, batch.partition, item.message, item.error, 0));
      }
      const merged = valid.length > 0 && (await this.merger.tryMerged(handler, valid.map((v) => v.event)));
      if (!merged) await settle(valid, { ...settleOptions, apply: call });
      kafkaMetrics.messages.inc({ topic, group, outcome: 'applied' }, valid.length);
      resolve(messages[messages.length - 1].offset);
      await heartbeat();
      return;
    }
    for (const item of items) {
      if (!payload.isRunning() || payload.isStale()) return;
      if ('event' in item) {
        await settle([item], { ...settleOptions, apply: call });
        kafkaMetrics.messages.inc({ topic, group, outcome: 'applied' });
      } else await hold.run(() => this.deadLetter(batch.topic, batch.partition, item.message, item.error, 0));
      resolve(item.message.offset);
      await heartbeat();
    }
  }

  private async deadLetter(physical: string, partition: number, message: KafkaMessage, error: unknown, attempts: number) {
    const topic = logicalTopic(this.options.topicPrefix, physical) ?? physical;
    await this.options.deadLetter.send({
      originalTopic: physical,
      partition,
      message,
      groupId: this.options.groupId,
      error,
      attempts,
    });
    kafkaMetrics.messages.inc({ topic, group: this.options.groupId, outcome: 'dead_lettered' });
    this.log.error(`${physical}[${partition}]@${message.offset} dead-lettered: ${describe(error)}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    // What is resolved is committed now; disconnect() stops fetching and waits for the batch in
    // flight to finish and commit (handleBatch); a held batch gives up at its next try (isActive)
    // and is redelivered to the next owner.
    await this.committer.flush();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error('KafkaEventServer does not emit events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
