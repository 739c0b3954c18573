import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodQuery, ZodValidationPipe } from '@app/platform';
import { idParam } from '../common/id.param';
import { CreateUserBody, UserView } from './dto/create-user.dto';
import { ListUserCouponsQuery, UserCouponsPage } from './dto/list-user-coupons.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiZodBody(CreateUserBody)
  create(@Body(new ZodValidationPipe(CreateUserBody, 'body')) body: CreateUserBody): Promise<UserView> {
    return this.users.create(body.name);
  }

  @Post('random')
  createRandom(): Promise<UserView> {
    return this.users.createRandom();
  }

  @Get(':id/coupons')
  @ApiZodQuery(ListUserCouponsQuery)
  listCoupons(
    @Param('id', idParam('user id')) id: number,
    @Query(new ZodValidationPipe(ListUserCouponsQuery, 'query')) query: ListUserCouponsQuery,
  ): Promise<UserCouponsPage> {
    return this.users.listCoupons(id, query);
  }
}
