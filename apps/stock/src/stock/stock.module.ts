import { Module } from '@nestjs/common';
import { StockController } from './stock.controller';
import { StockConsumer } from './stock.consumer';
import { StockService } from './stock.service';
import { StockRepository } from './stock.repository';

@Module({
  controllers: [StockController, StockConsumer],
  providers: [StockService, StockRepository],
})
export class StockFeatureModule {}
