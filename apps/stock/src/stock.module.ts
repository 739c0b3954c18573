import { Module } from '@nestjs/common';
import { StockFeatureModule } from './stock/stock.module';

@Module({ imports: [StockFeatureModule] })
export class StockModule {}
