import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodQuery, ZodValidationPipe } from '@app/platform';
import { CreateOrderDto } from './dto/create-order.dto';
import { ListOrdersQuery, OrderIdParam } from './dto/list-orders.query';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(201)
  @ApiZodBody(CreateOrderDto)
  create(@Body(new ZodValidationPipe(CreateOrderDto, 'order')) dto: CreateOrderDto) {
    return this.orders.create(dto);
  }

  @Get()
  @ApiZodQuery(ListOrdersQuery)
  list(@Query(new ZodValidationPipe(ListOrdersQuery, 'query')) query: ListOrdersQuery) {
    return this.orders.list(query);
  }

  @Get(':id')
  get(@Param(new ZodValidationPipe(OrderIdParam, 'order id')) { id }: { id: string }) {
    return this.orders.get(id);
  }
}
