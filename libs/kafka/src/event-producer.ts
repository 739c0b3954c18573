import { CompressionTypes, IHeaders, Kafka, Partitioners, Producer } from 'kafkajs';
import { encodeEvent, Envelope, Header } from '@app/events';
import { topicName } from './topics';
import { kafkaMetrics } from './kafka.metrics';

export interface OutgoingMessage {
  /** Contract topic (without prefix). */
  topic: string;
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: IHeaders;
}

export interface EventProducerOptions {
  /** A send not acknowledged within this time fails with KafkaUnavailableError (default 5000). */
  sendTimeoutMs?: number;
}

/** The broker did not acknowledge a send in time: an infrastructure fault, never the message's. */
export class KafkaUnavailableError extends Error {
  override name = 'KafkaUnavailableError';
  readonly code = 'KAFKA.UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ProducerHealth {
  ok: boolean;
  /** The last failure, while no send has succeeded since. */
  error?: string;
  /** How long sends have been failing. */
  sinceMs?: number;
}

const DEFAULT_SEND_TIMEOUT_MS = 5000;

/**
 * The process's one Kafka producer: acks=all, one request in flight so that kafkajs' own retries
 * cannot reorder a key's messages. send() resolves only once the broker has acknowledged, and
 * rejects within sendTimeoutMs when it cannot (the caller answers 503 or retries later).
 *
 * Deliberately NOT kafkajs' idempotent mode. kafkajs rolls a partition's sequence number back when
 * a produce request fails without an answer (sendMessages.js) — but the broker may have written
 * that batch. The next, different batch then reuses the same sequence numbers: with the same
 * count the broker takes it for a duplicate and acknowledges it without writing it (an
 * acknowledged message lost), with another count it answers OUT_OF_ORDER_SEQUENCE_NUMBER for
 * ever (the producer is stuck until restarted). Both were seen after a broker restart. Without
 * idempotence a retried batch may be written twice; every consumer here applies an event id at
 * most once (UnitOfWork's inbox), so a duplicate costs nothing.
 */
export class EventProducer {
  private readonly producer: Producer;
  private readonly sendTimeoutMs: number;
  private failingSince?: number;
  private lastError?: string;
  private inFlight = 0;

  constructor(
    kafka: Kafka,
    private readonly prefix: string,
    options: EventProducerOptions = {},
  ) {
    this.sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    this.producer = kafka.producer({
      idempotent: false,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Retries inside one send stay within the send deadline; later attempts are the caller's.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  health(): ProducerHealth {
    if (this.failingSince === undefined) return { ok: true };
    return { ok: false, error: this.lastError, sinceMs: Date.now() - this.failingSince };
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m);
      else byTopic.set(m.topic, [m]);
    }
    // While the broker is failing, one send at a time probes it and the others fail at once: a
    // request that needs the broker gets its 503 within one deadline, not behind a queue of them.
    if (this.failingSince !== undefined && this.inFlight > 0) {
      throw new KafkaUnavailableError(`broker unavailable for ${Date.now() - this.failingSince} ms: ${this.lastError}`);
    }
    const sending = this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic: topicName(this.prefix, topic),
        messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
      })),
    });
    this.inFlight++;
    try {
      await withDeadline(sending, this.sendTimeoutMs);
    } catch (error) {
      this.failingSince ??= Date.now();
      this.lastError = (error as Error)?.message ?? String(error);
      throw error;
    } finally {
      this.inFlight--;
    }
    this.failingSince = undefined;
    this.lastError = undefined;
    for (const [topic, list] of byTopic) kafkaMetrics.published.inc({ topic }, list.length);
  }

  /** Validates, serializes and publishes events directly (acknowledged, not through the outbox). */
  publish(envelopes: Envelope[]): Promise<void> {
    return this.send(
      envelopes.map((e) => ({
        topic: e.type,
        ...encodeEvent(e),
        headers: { [Header.EventType]: e.type, [Header.CorrelationId]: e.correlationId },
      })),
    );
  }
}

/**
 * Rejects with KafkaUnavailableError when `sending` has not settled within ms. The abandoned send
 * may still be written later: callers treat a timeout as "not known to be written" (the claim
 * queue withdraws its rows, the outbox keeps its rows), never as "not written".
 */
async function withDeadline(sending: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaUnavailableError(`broker did not acknowledge within ${ms} ms`)), ms);
  });
  sending.catch(() => undefined); // a late failure of an abandoned send is not unhandled
  try {
    await Promise.race([sending, deadline]);
  } catch (error) {
    if (error instanceof KafkaUnavailableError || isRefusedMessage(error)) throw error;
    throw new KafkaUnavailableError(`send failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The broker answered and refused the messages themselves (too large, invalid record…): kafkajs
 * gives up at once with a non-retriable protocol error. Anything else (connection refused or
 * closed, timeouts, leader moves, retries exhausted) is the broker being unavailable.
 */
function isRefusedMessage(error: unknown): boolean {
  const e = error as { name?: string; cause?: { name?: string; retriable?: boolean } } | null;
  return e?.name === 'KafkaJSNonRetriableError' && e.cause?.name === 'KafkaJSProtocolError' && e.cause.retriable === false;
}
