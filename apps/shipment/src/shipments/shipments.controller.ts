import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodQuery, ZodValidationPipe } from '@app/platform';
import { ListShipmentsQuery } from './dto/list-shipments.query';
import { ShipmentsService } from './shipments.service';

@ApiTags('shipments')
@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Get()
  @ApiZodQuery(ListShipmentsQuery)
  list(@Query(new ZodValidationPipe(ListShipmentsQuery, 'query')) { orderId }: ListShipmentsQuery) {
    return this.shipments.list(orderId);
  }
}
