import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntityId } from '../common/id.param';
import { CreateUserBody, UserView } from './dto/create-user.dto';
import { ListUserCouponsQuery, UserCouponsPage } from './dto/list-user-coupons.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  create(@Body({ schema: CreateUserBody }) body: CreateUserBody): Promise<UserView> {
    return this.users.create(body.name);
  }

  @Post('random')
  createRandom(): Promise<UserView> {
    return this.users.createRandom();
  }

  @Get(':id/coupons')
  listCoupons(
    @Param('id', { schema: EntityId }) id: number,
    @Query({ schema: ListUserCouponsQuery }) query: ListUserCouponsQuery,
  ): Promise<UserCouponsPage> {
    return this.users.listCoupons(id, query);
  }
}
