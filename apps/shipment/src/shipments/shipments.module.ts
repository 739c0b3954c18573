import { Module } from '@nestjs/common';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsConsumer } from './shipments.consumer';
import { ShipmentsService } from './shipments.service';
import { ShipmentsRepository } from './shipments.repository';

@Module({
  controllers: [ShipmentsController, ShipmentsConsumer],
  providers: [ShipmentsService, ShipmentsRepository],
})
export class ShipmentsModule {}
