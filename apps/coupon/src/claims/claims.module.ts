import { Module } from '@nestjs/common';
import { ClaimQueue } from './claim-queue';
import { ClaimReaper } from './claim-reaper';
import { ClaimsConsumer } from './claims.consumer';
import { ClaimsController } from './claims.controller';
import { ClaimsRepository } from './claims.repository';
import { ClaimsService } from './claims.service';

@Module({
  controllers: [ClaimsController, ClaimsConsumer],
  providers: [ClaimsService, ClaimsRepository, ClaimQueue, ClaimReaper],
})
export class ClaimsModule {}
