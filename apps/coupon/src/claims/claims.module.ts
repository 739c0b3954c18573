import { Module } from '@nestjs/common';
import { ClaimQueue } from './claim-queue';
import { ClaimsConsumer } from './claims.consumer';
import { ClaimsController } from './claims.controller';
import { ClaimsRepository } from './claims.repository';
import { ClaimsService } from './claims.service';

@Module({
  controllers: [ClaimsController, ClaimsConsumer],
  providers: [ClaimsService, ClaimsRepository, ClaimQueue],
})
export class ClaimsModule {}
