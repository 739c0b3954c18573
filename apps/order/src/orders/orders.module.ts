import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
import { OrdersConsumer } from './orders.consumer';
import { OrdersService } from './orders.service';
import { OrdersRepository } from './orders.repository';

@Module({
  controllers: [OrdersController, OrdersConsumer],
  providers: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
