import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/platform';
import { CreateOrderDto, OrderAccepted } from './dto/create-order.dto';
import { ListOrdersQuery, OrderDetail, OrderId, OrderPage } from './dto/list-orders.query';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ standardSchema: OrderAccepted, description: 'Stored PENDING with its OrderCreated event; the saga decides the rest.' })
  @ApiErrors(400, 503)
  create(@Body({ schema: CreateOrderDto }) dto: CreateOrderDto): Promise<OrderAccepted> {
    return this.orders.create(dto);
  }

  @Get()
  @ApiOkResponse({ standardSchema: OrderPage, description: 'Newest first; pass nextCursor back as cursor for the next page.' })
  @ApiErrors(400, 503)
  list(@Query({ schema: ListOrdersQuery }) query: ListOrdersQuery): Promise<OrderPage> {
    return this.orders.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ standardSchema: OrderDetail, description: 'The order and its timeline.' })
  @ApiErrors(400, { 404: 'ORDER_NOT_FOUND' }, 503)
  get(@Param('id', { schema: OrderId }) id: string): Promise<OrderDetail> {
    return this.orders.get(id);
  }
}
