import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';

@Injectable()
export class VendorsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(name: string) {
    return this.prisma.vendor.create({ data: { name } });
  }

  find(id: number) {
    return this.prisma.vendor.findUnique({ where: { id } });
  }

  /** The vendor's coupons and, per coupon, how many user_coupon rows exist (one GROUP BY). */
  async settlementFacts(vendorId: number) {
    const [coupons, counts] = await Promise.all([
      this.prisma.coupon.findMany({ where: { vendorId }, select: { id: true, type: true, value: true, issued: true }, orderBy: { id: 'asc' } }),
      this.prisma.userCoupon.groupBy({ by: ['couponId'], where: { coupon: { vendorId } }, _count: { _all: true } }),
    ]);
    return { coupons, counts: new Map(counts.map((c) => [c.couponId, c._count._all])) };
  }
}
