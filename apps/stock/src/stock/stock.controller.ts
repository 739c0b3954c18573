import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ListStockQuery, SetStockDto, Sku } from './dto/stock.dto';
import { StockService } from './stock.service';

@ApiTags('stock')
@Controller('stock')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  list(@Query({ schema: ListStockQuery }) query: ListStockQuery) {
    return this.stock.list(query);
  }

  @Get(':sku')
  get(@Param('sku', { schema: Sku }) sku: string) {
    return this.stock.get(sku);
  }

  @Put(':sku')
  set(@Param('sku', { schema: Sku }) sku: string, @Body({ schema: SetStockDto }) dto: SetStockDto) {
    return this.stock.set(sku, dto);
  }
}
