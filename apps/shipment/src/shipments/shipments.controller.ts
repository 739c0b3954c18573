import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Roles } from '@app/platform';
import { ListShipmentsQuery, ShipmentList } from './dto/list-shipments.query';
import { ShipmentsService } from './shipments.service';

@ApiTags('shipments')
@Roles('operator')
@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Get()
  @ApiOkResponse({ standardSchema: ShipmentList, description: "The order's shipments (empty until it is paid and shipped)." })
  @ApiErrors(400, 503)
  list(@Query({ schema: ListShipmentsQuery }) { orderId }: ListShipmentsQuery): Promise<ShipmentList> {
    return this.shipments.list(orderId);
  }
}
