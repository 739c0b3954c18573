import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodQuery, ZodValidationPipe } from '@app/platform';
import { ListStockQuery, SetStockDto, SkuParam } from './dto/stock.dto';
import { StockService } from './stock.service';

@ApiTags('stock')
@Controller('stock')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  @ApiZodQuery(ListStockQuery)
  list(@Query(new ZodValidationPipe(ListStockQuery, 'query')) query: ListStockQuery) {
    return this.stock.list(query);
  }

  @Get(':sku')
  get(@Param(new ZodValidationPipe(SkuParam, 'sku')) { sku }: SkuParam) {
    return this.stock.get(sku);
  }

  @Put(':sku')
  @ApiZodBody(SetStockDto)
  set(@Param(new ZodValidationPipe(SkuParam, 'sku')) { sku }: SkuParam, @Body(new ZodValidationPipe(SetStockDto, 'stock')) dto: SetStockDto) {
    return this.stock.set(sku, dto);
  }
}
