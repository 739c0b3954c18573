import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ListShipmentsQuery } from './dto/list-shipments.query';
import { ShipmentsService } from './shipments.service';

@ApiTags('shipments')
@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Get()
  list(@Query({ schema: ListShipmentsQuery }) { orderId }: ListShipmentsQuery) {
    return this.shipments.list(orderId);
  }
}
