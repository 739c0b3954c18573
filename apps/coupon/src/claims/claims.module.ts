import { Module } from '@nestjs/common';
import { ClaimQueue } from './claim-queue';
import { ClaimReaper } from './claim-reaper';
import { ClaimsConsumer } from './claims.consumer';
import { ClaimsController } from './claims.controller';
import { ClaimsRepository } from './claims.repository';
import { AcceptQueuedClaim } from './use-cases/accept-queued-claim';
import { ApplyQueuedClaims } from './use-cases/apply-queued-claims';
import { ClaimSync } from './use-cases/claim-sync';
import { GetClaim } from './use-cases/get-claim';

/** The two claim paths: one use case per operation, their statements in ClaimsRepository. */
@Module({
  controllers: [ClaimsController, ClaimsConsumer],
  providers: [ClaimSync, AcceptQueuedClaim, ApplyQueuedClaims, GetClaim, ClaimsRepository, ClaimQueue, ClaimReaper],
})
export class ClaimsModule {}
