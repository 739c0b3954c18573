import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { UserView } from './dto/create-user.dto';
import { ListUserCouponsQuery, UserCouponsPage } from './dto/list-user-coupons.dto';
import { UsersRepository } from './users.repository';
import { UserNotFoundError } from './users.errors';

const NAMES = ['kim', 'lee', 'park', 'choi', 'jung', 'kang', 'cho', 'yoon', 'jang', 'lim'];

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  create(name?: string): Promise<UserView> {
    return this.users.create(name ?? randomName());
  }

  /** getRandomUser: a new user with a generated name. */
  createRandom(): Promise<UserView> {
    return this.users.create(randomName());
  }

  async listCoupons(userId: number, query: ListUserCouponsQuery): Promise<UserCouponsPage> {
    const rows = await this.users.listCoupons(userId, query);
    // An empty page of an unknown user would hide a typo in the id.
    if (rows.length === 0 && !query.cursor && !(await this.users.exists(userId))) throw new UserNotFoundError(userId);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => ({
        id: r.id.toString(),
        claimId: r.claimId,
        claimedAt: r.claimedAt.toISOString(),
        coupon: { id: r.coupon.id, type: r.coupon.type, value: r.coupon.value, vendor: { id: r.coupon.vendor.id, name: r.coupon.vendor.name } },
      })),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id.toString() : null,
    };
  }
}

function randomName(): string {
  return `${NAMES[randomInt(NAMES.length)]}-${randomInt(1_000_000).toString().padStart(6, '0')}`;
}
