import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@app/database';
import { VendorNotFoundError } from '../vendors/vendors.errors';
import { CouponAudit, CreateCouponBody } from './dto/coupon.dto';

const COLUMNS = { id: true, type: true, value: true, total: true, issued: true, vendorId: true } as const;

@Injectable()
export class CouponsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: CreateCouponBody) {
    try {
      return await this.prisma.coupon.create({ data, select: COLUMNS });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') throw new VendorNotFoundError(data.vendorId);
      throw error;
    }
  }

  find(id: number) {
    return this.prisma.coupon.findUnique({ where: { id }, select: COLUMNS });
  }

  /** Counts straight from the tables, so the check does not trust the counters it checks. */
  async audit(couponId: number, vendorId: number): Promise<Omit<CouponAudit, 'couponId' | 'total' | 'issued' | 'vendorId'>> {
    const [[row], claims, vendor] = await Promise.all([
      this.prisma.$queryRaw<{ userCoupons: bigint; distinctUsers: bigint }[]>`
        SELECT COUNT(*) AS userCoupons, COUNT(DISTINCT user_id) AS distinctUsers FROM coupon_user_coupon WHERE coupon_id = ${couponId}`,
      this.prisma.claim.groupBy({ by: ['status', 'reason'], where: { couponId }, _count: { _all: true } }),
      this.prisma.$queryRaw<{ balance: bigint; payouts: unknown }[]>`
        SELECT v.balance,
          (SELECT COALESCE(SUM(c.value), 0) FROM coupon_user_coupon uc JOIN coupon_coupon c ON c.id = uc.coupon_id WHERE c.vendor_id = v.id) AS payouts
        FROM coupon_vendor v WHERE v.id = ${vendorId}`,
    ]);
    const userCoupons = Number(row.userCoupons);
    const distinctUsers = Number(row.distinctUsers);
    return {
      userCoupons,
      distinctUsers,
      duplicates: userCoupons - distinctUsers,
      vendorBalance: Number(vendor[0].balance),
      vendorPayouts: Number(vendor[0].payouts),
      claims: Object.fromEntries(claims.map((c) => [c.reason ? `${c.status}:${c.reason}` : c.status, c._count._all])),
    };
  }
}
