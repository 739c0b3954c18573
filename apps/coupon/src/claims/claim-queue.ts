import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AppEnv } from '@app/config';
import { GroupCommit } from '@app/batching';
import { EventProducer } from '@app/kafka';
import { APP_ENV } from '@app/platform';
import { QueuedClaim } from './claim-decision';
import { claimRequested } from './claim-requested';
import { ClaimsRepository } from './claims.repository';

// Up to 500 claims per insert and per producer request; 2 ms is what an idle request waits for
// company; two flushes overlap so one batch's insert runs while the previous one awaits its ack.
const GROUP_COMMIT = { maxBatch: 500, lingerMs: 2, maxInFlight: 2 };
// Acknowledged claims are marked published in the background, many flushes per UPDATE, and
// late: by then the consumer has usually decided them and the UPDATE finds nothing to write
// (measured on insert + decision alone: a mark that finds the rows undecided adds 20-60 % to
// their database time, one that finds them decided little). The delay stays well below the
// reaper's age, so the reaper does not take marks that are merely late for orphans.
const MARK_COMMIT = { maxBatch: 2000, lingerMs: 5, maxInFlight: 1 };
const MAX_MARK_DELAY_MS = 1000;

/** A claim's fate in its flush: accepted, or withdrawn because its send failed (with that error). */
type Sent = { accepted: true } | { accepted: false; error: unknown };

/**
 * The accept side of useCouponToKafka. A claim is "accepted" only when (a) its PENDING row is
 * committed and (b) its CouponClaimRequested message is on Kafka (acks=all) or will be: the row is
 * its own outbox entry, and the claim reaper (claim-reaper.ts) re-sends every PENDING claim whose
 * send was never acknowledged — a process killed between insert and send orphans nothing. The row
 * goes first so a consumer never sees a message without its claim. Concurrent requests share one
 * insert and one send (group commit) — that is where the queued path gets its throughput.
 */
@Injectable()
export class ClaimQueue implements BeforeApplicationShutdown {
  private readonly log = new Logger('ClaimQueue');
  private readonly commit = new GroupCommit<QueuedClaim, Sent>((claims) => this.flush(claims), GROUP_COMMIT);
  private readonly marks = new GroupCommit<string>((ids) => this.markPublished(ids), MARK_COMMIT);
  private readonly markDelayMs: number;
  private readonly delayed = new Map<NodeJS.Timeout, string[]>();

  constructor(
    @Inject(ClaimsRepository) private readonly repository: Pick<ClaimsRepository, 'insertPending' | 'withdrawUnpublished' | 'markPublished'>,
    @Inject(EventProducer) private readonly producer: Pick<EventProducer, 'publish'>,
    @Inject(APP_ENV) env: Pick<AppEnv<'coupon'>, 'COUPON_REAPER_AGE_MS'>,
  ) {
    this.markDelayMs = Math.min(MAX_MARK_DELAY_MS, env.COUPON_REAPER_AGE_MS / 4);
  }

  /** Resolves once the claim is durable and sure to reach Kafka; rejects when it was withdrawn. */
  async enqueue(claim: QueuedClaim): Promise<void> {
    const sent = await this.commit.submit(claim);
    if (!sent.accepted) throw sent.error;
  }

  private async flush(claims: QueuedClaim[]): Promise<Sent[]> {
    await this.repository.insertPending(claims);
    try {
      await this.producer.publish(claims.map(claimRequested));
    } catch (error) {
      const withdrawn = await this.withdraw(claims, error);
      return claims.map((c): Sent => (withdrawn.has(c.claimId) ? { accepted: false, error } : { accepted: true }));
    }
    // Not awaited: the answer does not depend on it. A mark that is lost (crash, failed UPDATE)
    // only makes the reaper send the claim once more, which the consumer ignores once decided.
    this.markLater(claims.map((c) => c.claimId));
    return claims.map((): Sent => ({ accepted: true }));
  }

  private markLater(ids: string[]): void {
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.mark(ids);
    }, this.markDelayMs);
    timer.unref();
    this.delayed.set(timer, ids);
  }

  private mark(ids: string[]): void {
    for (const id of ids) void this.marks.submit(id);
  }

  /**
   * Not acknowledged: withdraws the rows so that their clients can be told 503 and the claims are
   * never issued. Returns the ids withdrawn; the others stay accepted (202), because their row
   * stays and is (or will be) on the topic — see ClaimsRepository.withdrawUnpublished. When the
   * withdraw itself fails, nothing is withdrawn: every row is still there (the insert committed),
   * the reaper now owns it and sends it once it is old enough, so the only true answer is 202.
   * (The one case that answer can miss: the DELETE committed and only its reply was lost — then
   * GET on the claim says 404.)
   */
  private async withdraw(claims: QueuedClaim[], cause: unknown): Promise<Set<string>> {
    const ids = claims.map((c) => c.claimId);
    try {
      return await this.repository.withdrawUnpublished(ids);
    } catch (error) {
      this.log.error(
        `send of ${ids.length} claims failed (${errorText(cause)}) and so did their withdrawal (${errorText(error)}): ` +
          'they stay accepted, the claim reaper sends them',
      );
      return new Set();
    }
  }

  private async markPublished(ids: string[]): Promise<void> {
    try {
      await this.repository.markPublished(ids);
    } catch (error) {
      this.log.warn(`could not mark ${ids.length} acknowledged claims published, the reaper will send them again: ${errorText(error)}`);
    }
  }

  // Requests already waiting get their answer before the producer disconnects; marks still
  // waiting are written now.
  async beforeApplicationShutdown(): Promise<void> {
    await this.commit.drain();
    for (const [timer, ids] of this.delayed) {
      clearTimeout(timer);
      this.mark(ids);
    }
    this.delayed.clear();
    await this.marks.drain();
  }
}

const errorText = (error: unknown) => (error as Error)?.message ?? String(error);
