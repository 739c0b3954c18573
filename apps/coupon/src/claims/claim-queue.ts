import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { GroupCommit } from '@app/database';
import { createEnvelope, Topic } from '@app/events';
import { EventProducer } from '@app/kafka';
import { QueuedClaim } from './claim-decision';
import { ClaimsRepository } from './claims.repository';

// Up to 500 claims per insert and per producer request; 2 ms is what an idle request waits for
// company; two flushes overlap so one batch's insert runs while the previous one awaits its ack.
const GROUP_COMMIT = { maxBatch: 500, lingerMs: 2, maxInFlight: 2 };

/**
 * The accept side of useCouponToKafka. A claim is "accepted" only when (a) its PENDING row is
 * committed and (b) the broker acknowledged its CouponClaimRequested message (acks=all). The row
 * goes first so a consumer never sees a message without its claim. Concurrent requests share
 * one insert and one send (group commit) — that is where the queued path gets its throughput.
 */
@Injectable()
export class ClaimQueue implements BeforeApplicationShutdown {
  private readonly log = new Logger('ClaimQueue');
  private readonly commit = new GroupCommit<QueuedClaim>((batch) => this.flush(batch), GROUP_COMMIT);

  constructor(
    private readonly repository: ClaimsRepository,
    private readonly producer: EventProducer,
  ) {}

  /** Resolves once the claim is durable in the database and on Kafka; rejects otherwise. */
  enqueue(claim: QueuedClaim): Promise<void> {
    return this.commit.submit(claim);
  }

  private async flush(batch: QueuedClaim[]): Promise<void> {
    await this.repository.insertPending(batch);
    try {
      await this.producer.publish(
        batch.map((c) => createEnvelope(Topic.CouponClaimRequested, c, { producer: 'coupon', correlationId: c.claimId })),
      );
    } catch (error) {
      // Not acknowledged: withdraw the rows so no PENDING claim waits for a message that may
      // never come. If the message did get through, the consumer finds no PENDING row and skips it.
      await this.repository.withdrawPending(batch.map((c) => c.claimId)).catch((e: Error) => {
        this.log.error(`could not withdraw ${batch.length} unsent claims: ${e.message}`);
      });
      throw error;
    }
  }

  // Requests already waiting get their answer before the producer disconnects.
  async beforeApplicationShutdown(): Promise<void> {
    await this.commit.drain();
  }
}
