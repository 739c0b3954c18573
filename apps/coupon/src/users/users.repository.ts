import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@app/database';
import { UserView } from './dto/create-user.dto';
import { ListUserCouponsQuery } from './dto/list-user-coupons.dto';

const withCouponAndVendor = { coupon: { include: { vendor: true } } } satisfies Prisma.UserCouponInclude;
export type UserCouponRow = Prisma.UserCouponGetPayload<{ include: typeof withCouponAndVendor }>;

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(name: string): Promise<UserView> {
    return this.prisma.user.create({ data: { name }, select: { id: true, name: true } });
  }

  async exists(id: number): Promise<boolean> {
    return (await this.prisma.user.count({ where: { id } })) > 0;
  }

  /**
   * getUserCoupons as a typed dynamic query: filters are added only when given, newest first,
   * keyset pagination on the id (stable under concurrent inserts, unlike OFFSET).
   */
  listCoupons(userId: number, q: ListUserCouponsQuery): Promise<UserCouponRow[]> {
    const where: Prisma.UserCouponWhereInput = {
      userId,
      ...(q.cursor ? { id: { lt: BigInt(q.cursor) } } : {}),
      ...(q.type || q.vendorId ? { coupon: { ...(q.type ? { type: q.type } : {}), ...(q.vendorId ? { vendorId: q.vendorId } : {}) } } : {}),
    };
    return this.prisma.userCoupon.findMany({ where, include: withCouponAndVendor, orderBy: { id: 'desc' }, take: q.limit + 1 });
  }
}
