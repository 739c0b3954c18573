import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Principal, Roles } from '@app/platform';
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
  @Roles()
  @ApiErrors(400, 503)
  create(@Body({ schema: CreateOrderDto }) dto: CreateOrderDto, @CurrentPrincipal() principal: Principal): Promise<OrderAccepted> {
    return this.orders.create(dto, principal.subject);
  }

  @Get()
  @ApiOkResponse({ standardSchema: OrderPage, description: "Newest first; pass nextCursor back as cursor for the next page. A user sees its own orders (userId, if given, must be its own); an operator everyone's." })
  @Roles()
  @ApiErrors(400, 503)
  list(@Query({ schema: ListOrdersQuery }) query: ListOrdersQuery, @CurrentPrincipal() principal: Principal): Promise<OrderPage> {
    return this.orders.list(query, principal);
  }

  @Get(':id')
  @ApiOkResponse({ standardSchema: OrderDetail, description: "The order and its timeline: a user's own, any for an operator." })
  @Roles()
  @ApiErrors(400, { 404: "ORDER_NOT_FOUND (also for another user's order)" }, 503)
  get(@Param('id', { schema: OrderId }) id: string, @CurrentPrincipal() principal: Principal): Promise<OrderDetail> {
    return this.orders.get(id, principal);
  }
}
