import { Logger } from '@nestjs/common';
import { BaseRpcContext, CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { GroupCommit } from '@app/database';
import { decodeEvent, Envelope, EventValidationError, Topic } from '@app/events';
import { DeadLetter } from './dead-letter';
import { BatchExtras } from './consumer.decorators';
import { logicalTopic, topicName } from './topics';
import { kafkaMetrics } from './kafka.metrics';

export interface KafkaEventServerOptions {
  kafka: Kafka;
  groupId: string;
  topicPrefix: string;
  /** Partitions processed in parallel by this instance (kafkajs partitionsConsumedConcurrently). */
  concurrency: number;
  maxRetries: number;
  retryBackoffMs: number;
  deadLetter: DeadLetter;
}

const DEFAULT_MAX_BATCH = 500;

/** Where a message came from; the second argument of a consumer method if it wants it. */
export class KafkaEventContext extends BaseRpcContext<[string, number, string]> {}

/** An error that retrying cannot fix (bad message, broken invariant): dead-letter at once. */
export const isPermanentError = (error: unknown): boolean =>
  error instanceof EventValidationError || (error as { permanent?: boolean } | null)?.permanent === true;

interface Item {
  message: KafkaMessage;
  event?: Envelope;
  error?: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls a Nest message handler and waits for its promise or observable. */
async function invoke(handler: MessageHandler, data: unknown, context?: KafkaEventContext): Promise<void> {
  const result = await handler(data, context);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

// Up to 8 batches per merged call, one merged call per handler at a time: batches arriving
// meanwhile wait and go out together in the next.
const MERGE = { maxBatch: 8, lingerMs: 0, maxInFlight: 1 };

/**
 * A Nest microservice transport on kafkajs for @OnEvent / @OnEventBatch handlers, with the
 * delivery rules the seed got wrong: an offset is committed only after its message was applied or
 * dead-lettered; transient failures are retried with backoff; invalid or still-failing messages go
 * to the dead-letter topic with the error in headers and the partition moves on; close() stops
 * fetching and lets in-flight batches finish.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  // keyed by the handler's extras: Nest wraps a method once per topic, but all wrappers of one
  // method share that object
  private readonly merges = new Map<object, GroupCommit<Envelope[]>>();
  private readonly log = new Logger('KafkaEventServer');

  constructor(private readonly options: KafkaEventServerOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length === 0) return;
    const { kafka, groupId, topicPrefix, concurrency } = this.options;
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: topics.map((t) => topicName(topicPrefix, t)), fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: concurrency,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.log.log(`group ${groupId} consuming ${topics.join(', ')} (concurrency ${concurrency})`);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const topic = logicalTopic(this.options.topicPrefix, batch.topic) as Topic;
    const handler = this.messageHandlers.get(topic);
    if (!handler) return;
    const items: Item[] = batch.messages.map((message) => {
      try {
        return { message, event: decodeEvent(topic, message.value) };
      } catch (error) {
        return { message, error };
      }
    });
    const extras = handler.extras as Partial<BatchExtras> | undefined;
    const chunk = extras?.batch ? (extras.maxBatch ?? DEFAULT_MAX_BATCH) : items.length;
    for (let i = 0; i < items.length; i += chunk) {
      if (!payload.isRunning() || payload.isStale()) return;
      await this.handleChunk(payload, topic, handler, items.slice(i, i + chunk));
    }
  }

  private async handleChunk(payload: EachBatchPayload, topic: Topic, handler: MessageHandler, items: Item[]): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    // A batch handler first gets every valid message at once, merged with the other batches for
    // the same handler in flight at the same moment (other partitions, other topics of the same
    // method: one call, one transaction).
    // If that fails, the batch is tried alone with retries; if that still fails, its messages are
    // applied one by one so that only a poison message is dead-lettered.
    const asBatch = Boolean(handler.extras?.batch);
    const events = items.flatMap((i) => (i.event ? [i.event] : []));
    const batchApplied =
      asBatch &&
      events.length > 0 &&
      ((await this.attemptMerged(handler, events)) || (await this.attempt(topic, handler, events, heartbeat)) === true);
    if (batchApplied) {
      kafkaMetrics.messages.inc({ topic, group: this.options.groupId, outcome: 'applied' }, events.length);
      await heartbeat();
    }
    for (const item of items) {
      if (!isRunning() || isStale()) return;
      if (!item.event) await this.deadLetter(batch.topic, batch.partition, item.message, item.error, 0);
      else if (!batchApplied) await this.applyOne(batch.topic, batch.partition, topic, handler, item.event, item.message, heartbeat);
      resolveOffset(item.message.offset);
      if (!batchApplied) await heartbeat();
    }
  }

  private async applyOne(
    physical: string,
    partition: number,
    topic: Topic,
    handler: MessageHandler,
    event: Envelope,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const context = new KafkaEventContext([physical, partition, message.offset]);
    const arg = handler.extras?.batch ? [event] : event;
    const outcome = await this.attempt(topic, handler, arg, heartbeat, context);
    if (outcome === true) kafkaMetrics.messages.inc({ topic, group: this.options.groupId, outcome: 'applied' });
    else await this.deadLetter(physical, partition, message, outcome, this.options.maxRetries + 1);
  }

  /** One try of a batch merged with the in-flight batches for the same handler; false if it failed. */
  private async attemptMerged(handler: MessageHandler, events: Envelope[]): Promise<boolean> {
    const key: object = handler.extras ?? handler;
    let merge = this.merges.get(key);
    if (!merge) {
      merge = new GroupCommit<Envelope[]>((lists) => invoke(handler, lists.flat()), MERGE);
      this.merges.set(key, merge);
    }
    try {
      await merge.submit(events);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs the handler with retries and backoff; true on success, else the last error. */
  private async attempt(
    topic: Topic,
    handler: MessageHandler,
    data: unknown,
    heartbeat: () => Promise<void>,
    context?: KafkaEventContext,
  ): Promise<true | unknown> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt++) {
      if (attempt > 0) {
        kafkaMetrics.messages.inc({ topic, group: this.options.groupId, outcome: 'retried' });
        await sleep(this.options.retryBackoffMs * 2 ** (attempt - 1));
        await heartbeat();
      }
      const stop = kafkaMetrics.handlerSeconds.startTimer({ topic, group: this.options.groupId });
      try {
        await invoke(handler, data, context);
        stop();
        return true;
      } catch (error) {
        stop();
        lastError = error;
        this.log.warn(`${topic}: attempt ${attempt + 1} failed: ${(error as Error)?.message ?? error}`);
        if (isPermanentError(error)) break;
      }
    }
    return lastError ?? new Error('handler failed');
  }

  private async deadLetter(physical: string, partition: number, message: KafkaMessage, error: unknown, attempts: number) {
    const topic = logicalTopic(this.options.topicPrefix, physical) ?? physical;
    kafkaMetrics.messages.inc({ topic, group: this.options.groupId, outcome: 'dead_lettered' });
    this.log.error(`${physical}[${partition}]@${message.offset} dead-lettered: ${(error as Error)?.message ?? error}`);
    await this.options.deadLetter.send({
      originalTopic: physical,
      partition,
      message,
      groupId: this.options.groupId,
      error,
      attempts,
    });
  }

  async close(): Promise<void> {
    // disconnect() stops fetching and waits for the batch in flight to finish and commit.
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
