import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, ForbiddenError, isOperator, Principal, Public, Roles } from '@app/platform';
import { EntityId } from '../common/id.param';
import { CreateUserBody, UserView } from './dto/create-user.dto';
import { ListUserCouponsQuery, UserCouponsPage } from './dto/list-user-coupons.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Public()
  @ApiCreatedResponse({ standardSchema: UserView, description: 'The new user (a generated name when none is given).' })
  @ApiErrors(400, 503)
  create(@Body({ schema: CreateUserBody }) body: CreateUserBody): Promise<UserView> {
    return this.users.create(body.name);
  }

  @Post('random')
  @Public()
  @ApiCreatedResponse({ standardSchema: UserView, description: 'A new user with a generated name.' })
  @ApiErrors(503)
  createRandom(): Promise<UserView> {
    return this.users.createRandom();
  }

  @Get(':id/coupons')
  @ApiOkResponse({ standardSchema: UserCouponsPage, description: "The user's coupons, newest first; pass nextCursor back as cursor for the next page. A user reads its own (the token's subject is the id); an operator anyone's." })
  @Roles()
  @ApiErrors(400, { 404: 'USER_NOT_FOUND' }, 503)
  listCoupons(
    @Param('id', { schema: EntityId }) id: number,
    @Query({ schema: ListUserCouponsQuery }) query: ListUserCouponsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserCouponsPage> {
    if (!isOperator(principal) && principal.subject !== String(id)) throw new ForbiddenError("a user reads its own coupons only (the id must be the token's subject)");
    return this.users.listCoupons(id, query);
  }
}
