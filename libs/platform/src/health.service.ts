import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { BaseEnv } from '@app/config';
import { PrismaService } from '@app/database';
import { ConsumerHealth, EventProducer, KafkaRuntime, OutboxRelay } from '@app/kafka';
import { APP_ENV } from './app-env.token';
import { ConsumerProbe } from './consumer-probe';

/** Each probe's bound; they run in parallel, so /health answers within about this. */
export const PROBE_TIMEOUT_MS = 2000;

export const Part = z.object({
  status: z.enum(['up', 'down']),
  reason: z.string().optional().describe('Why the part is down (short, for people and dashboards).'),
});
export type Part = z.infer<typeof Part>;

/** GET /health (200 when status is ok, else 503); see HealthController. */
export const HealthReport = z.object({
  status: z.enum(['ok', 'starting', 'down']).describe('starting: Kafka not ready yet, or the consumer never joined its group'),
  db: Part.describe('SELECT 1'),
  broker: Part.describe('the Kafka cluster answers'),
  producer: Part.extend({ sinceMs: z.number().optional() }).describe('connected, and not failing since its last send'),
  outbox: Part.extend({ oldestPendingMs: z.number().nullable() }).describe('oldest unpublished row younger than OUTBOX_STALE_MS'),
  consumer: Part.extend({
    state: z.enum(['starting', 'joined', 'rebalancing', 'stopped', 'crashed']),
    pausedPartitions: z.number().int(),
  })
    .optional()
    .describe('apps that consume only: joined, nothing paused'),
});
export type HealthReport = z.infer<typeof HealthReport>;

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Runs the parts' probes for /health; see HealthController for the answer's shape. */
@Injectable()
export class HealthService {
  // one query per probe in flight: a hung database or broker must not pile up requests
  private readonly pingDb = singleFlight(() => this.prisma.ping());
  private readonly pingBroker = singleFlight(() => this.kafka.ping());
  private readonly outboxAge = singleFlight(() => this.relay.oldestPendingAgeMs());

  constructor(
    private readonly prisma: PrismaService,
    private readonly kafka: KafkaRuntime,
    private readonly producer: EventProducer,
    private readonly relay: OutboxRelay,
    private readonly consumers: ConsumerProbe,
    @Inject(APP_ENV) private readonly env: BaseEnv,
  ) {}

  async check(): Promise<HealthReport> {
    const [db, broker, outbox] = await Promise.all([
      bounded(this.pingDb()),
      bounded(this.pingBroker()),
      bounded(this.outboxAge()),
    ]);
    const kafka = this.kafka.status();
    const consumer = this.consumers.health();
    const report: HealthReport = {
      status: 'ok',
      db: part(db),
      broker: part(broker),
      producer: this.producerPart(kafka),
      outbox: this.outboxPart(outbox),
      ...(consumer && { consumer: consumerPart(consumer, kafka.ready) }),
    };
    // starting: Kafka not reached yet, or the consumer has not joined its group yet; a consumer
    // that leaves its group later is a failure (down), not a start
    const starting = !kafka.ready || (consumer !== undefined && !consumer.joinedOnce);
    const allUp = [report.db, report.broker, report.producer, report.outbox, report.consumer].every((p) => !p || p.status === 'up');
    report.status = starting ? 'starting' : allUp ? 'ok' : 'down';
    return report;
  }

  private producerPart(kafka: { ready: boolean; error?: string }): HealthReport['producer'] {
    if (!kafka.ready) return { status: 'down', reason: `not connected: ${kafka.error ?? 'connecting'}` };
    const h = this.producer.health();
    if (h.ok) return { status: 'up' };
    return { status: 'down', reason: short(h.error ?? 'last send failed'), ...(h.sinceMs !== undefined && { sinceMs: h.sinceMs }) };
  }

  private outboxPart(outbox: Outcome<number | null>): HealthReport['outbox'] {
    if (!outbox.ok) return { status: 'down', reason: outbox.reason, oldestPendingMs: null };
    const age = outbox.value;
    const stale = this.env.OUTBOX_STALE_MS;
    if (age === null || age < stale) return { status: 'up', oldestPendingMs: age };
    return { status: 'down', reason: `oldest unpublished event is ${seconds(age)} old (limit ${seconds(stale)})`, oldestPendingMs: age };
  }
}

function consumerPart(h: ConsumerHealth, kafkaReady: boolean): NonNullable<HealthReport['consumer']> {
  const { state, pausedPartitions } = h;
  if (state === 'joined' && pausedPartitions === 0) return { status: 'up', state, pausedPartitions };
  const fallback =
    state === 'joined' ? `${pausedPartitions} partition(s) paused` : state === 'starting' ? (kafkaReady ? 'joining its group' : 'waiting for Kafka') : state;
  return { status: 'down', reason: short(h.reason ?? fallback), state, pausedPartitions };
}

const part = (outcome: Outcome<unknown>): Part => (outcome.ok ? { status: 'up' } : { status: 'down', reason: outcome.reason });

/** The outcome of work, or a reason when it fails or takes longer than timeoutMs (a dead host must not hang /health). */
async function bounded<T>(work: Promise<T>, timeoutMs = PROBE_TIMEOUT_MS): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      work.then(
        (value): Outcome<T> => ({ ok: true, value }),
        (error: unknown): Outcome<T> => ({ ok: false, reason: short((error as Error)?.message ?? String(error)) }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls share the run in flight instead of starting another. */
function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let inflight: Promise<T> | undefined;
  return () =>
    (inflight ??= (async () => {
      try {
        return await run();
      } finally {
        inflight = undefined;
      }
    })());
}

const short = (text: string) => (text.length > 200 ? `${text.slice(0, 197)}...` : text);
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
