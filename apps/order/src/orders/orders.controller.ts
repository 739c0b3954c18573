import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateOrderDto } from './dto/create-order.dto';
import { ListOrdersQuery, OrderId } from './dto/list-orders.query';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(201)
  create(@Body({ schema: CreateOrderDto }) dto: CreateOrderDto) {
    return this.orders.create(dto);
  }

  @Get()
  list(@Query({ schema: ListOrdersQuery }) query: ListOrdersQuery) {
    return this.orders.list(query);
  }

  @Get(':id')
  get(@Param('id', { schema: OrderId }) id: string) {
    return this.orders.get(id);
  }
}
