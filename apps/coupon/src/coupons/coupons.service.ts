import { Injectable } from '@nestjs/common';
import { VendorsService } from '../vendors/vendors.service';
import { randomCatalogEntry } from './coupon-catalog';
import { CouponAudit, CouponView, CreateCouponBody, RandomCouponBody } from './dto/coupon.dto';
import { CouponsRepository } from './coupons.repository';
import { CouponNotFoundError } from './coupons.errors';

@Injectable()
export class CouponsService {
  constructor(
    private readonly coupons: CouponsRepository,
    private readonly vendors: VendorsService,
  ) {}

  create(body: CreateCouponBody): Promise<CouponView> {
    return this.coupons.create(body);
  }

  /** generateRandomCoupon: a catalog type and its payout, for the given vendor or a new random one. */
  async createRandom(body: RandomCouponBody): Promise<CouponView> {
    const vendorId = body.vendorId ?? (await this.vendors.create()).id;
    const { type, value } = randomCatalogEntry();
    return this.coupons.create({ type, value, total: body.total ?? 100, vendorId });
  }

  async get(id: number): Promise<CouponView> {
    const coupon = await this.coupons.find(id);
    if (!coupon) throw new CouponNotFoundError(id);
    return { ...coupon, remaining: coupon.total - coupon.issued };
  }

  async audit(id: number): Promise<CouponAudit> {
    const coupon = await this.get(id);
    const facts = await this.coupons.audit(id, coupon.vendorId);
    return { couponId: id, total: coupon.total, issued: coupon.issued, vendorId: coupon.vendorId, ...facts };
  }
}
