import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppEnv } from '@app/config';
import { EventProducer } from '@app/kafka';
import { APP_ENV } from '@app/platform';
import { claimRequested } from './claim-requested';
import { ClaimsRepository } from './claims.repository';

/** Claims re-sent per round (one locking read, one producer request, one UPDATE). */
export const REAP_BATCH = 500;

export type ReaperEnv = Pick<AppEnv<'coupon'>, 'COUPON_REAPER_INTERVAL_MS' | 'COUPON_REAPER_AGE_MS'>;

/**
 * The queued claim row is its own outbox entry. ClaimQueue inserts it PENDING, sends its message,
 * and marks it published once the broker acknowledged; a process killed in between (or a failed
 * send whose withdrawal failed too) leaves it PENDING and unmarked. This loop re-sends such claims
 * once they are older than COUPON_REAPER_AGE_MS — oldest first, REAP_BATCH per round, every
 * COUPON_REAPER_INTERVAL_MS, again at once while rounds come back full — and marks them.
 *
 * At least once, never systematically twice: instances reaping at once lock disjoint rows (SKIP
 * LOCKED, ClaimsRepository.reapUnpublished). What can still reach the topic twice — a claim
 * acknowledged just before a crash took its mark, a send that outlived the age — is harmless: the
 * consumer (ApplyQueuedClaims) applies a claim only while its row is PENDING.
 */
@Injectable()
export class ClaimReaper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('ClaimReaper');
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    @Inject(ClaimsRepository) private readonly claims: Pick<ClaimsRepository, 'reapUnpublished'>,
    @Inject(EventProducer) private readonly producer: Pick<EventProducer, 'publish'>,
    @Inject(APP_ENV) private readonly env: ReaperEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  // Before the producer disconnects (KafkaRuntime.onApplicationShutdown).
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /**
   * Starts the loop. The first round comes after one interval by default: the producer connects
   * in the background at start-up, and one interval is little next to the age a claim must reach.
   */
  start(firstRoundInMs = this.env.COUPON_REAPER_INTERVAL_MS): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run(firstRoundInMs);
  }

  /** Stops after the round in flight, if any. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One round: re-sends up to REAP_BATCH unacknowledged claims older than the age; returns how many. */
  async reapOnce(): Promise<number> {
    // created_at is written from this clock (ClaimsRepository.insertPending), so the cut-off is too
    const before = new Date(Date.now() - this.env.COUPON_REAPER_AGE_MS);
    const sent = await this.claims.reapUnpublished(before, REAP_BATCH, (claims) => this.producer.publish(claims.map(claimRequested)));
    if (sent > 0) this.log.warn(`re-sent ${sent} queued claim(s) whose send was never acknowledged`);
    return sent;
  }

  private async run(firstRoundInMs: number): Promise<void> {
    if (firstRoundInMs > 0) await this.sleep(firstRoundInMs);
    while (this.running) {
      let full = false;
      try {
        full = (await this.reapOnce()) >= REAP_BATCH;
      } catch (error) {
        this.log.error(`claim reaper round failed, will retry: ${(error as Error)?.message ?? String(error)}`);
      }
      if (!full && this.running) await this.sleep(this.env.COUPON_REAPER_INTERVAL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
