import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Public, Roles } from '@app/platform';
import { ListStockQuery, ProductList, ProductView, SetStockDto, Sku } from './dto/stock.dto';
import { StockService } from './stock.service';

@ApiTags('stock')
@Controller('stock')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  @Public()
  @ApiOkResponse({ standardSchema: ProductList, description: 'The products in sku order, up to limit.' })
  @ApiErrors(400, 503)
  list(@Query({ schema: ListStockQuery }) query: ListStockQuery): Promise<ProductList> {
    return this.stock.list(query);
  }

  @Get(':sku')
  @Public()
  @ApiOkResponse({ standardSchema: ProductView, description: "The product's stock level." })
  @ApiErrors(400, { 404: 'PRODUCT_NOT_FOUND' }, 503)
  get(@Param('sku', { schema: Sku }) sku: string): Promise<ProductView> {
    return this.stock.get(sku);
  }

  @Put(':sku')
  @Roles('operator')
  @ApiOkResponse({ standardSchema: ProductView, description: 'The product as stored: created, or its available units and price replaced.' })
  @ApiErrors(400, 503)
  set(@Param('sku', { schema: Sku }) sku: string, @Body({ schema: SetStockDto }) dto: SetStockDto): Promise<ProductView> {
    return this.stock.set(sku, dto);
  }
}
