import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { SettlementView, VendorView } from './dto/vendor.dto';
import { VendorsRepository } from './vendors.repository';
import { VendorNotFoundError } from './vendors.errors';

const BRANDS = ['bean-brothers', 'noodle-house', 'pixel-books', 'green-grocer', 'city-cinema'];

@Injectable()
export class VendorsService {
  constructor(private readonly vendors: VendorsRepository) {}

  async create(name?: string): Promise<VendorView> {
    return toView(await this.vendors.create(name ?? randomVendorName()));
  }

  async get(id: number): Promise<VendorView> {
    const vendor = await this.vendors.find(id);
    if (!vendor) throw new VendorNotFoundError(id);
    return toView(vendor);
  }

  /** payToVendor, audited: per coupon the user coupons handed out and their payout, against the balance. */
  async settlement(id: number): Promise<SettlementView> {
    const vendor = await this.get(id);
    const { coupons, counts } = await this.vendors.settlementFacts(id);
    const lines = coupons.map((c) => {
      const userCoupons = counts.get(c.id) ?? 0;
      return { couponId: c.id, type: c.type, value: c.value, issued: c.issued, userCoupons, payout: userCoupons * c.value };
    });
    const totals = lines.reduce(
      (t, l) => ({ issued: t.issued + l.issued, userCoupons: t.userCoupons + l.userCoupons, payout: t.payout + l.payout }),
      { issued: 0, userCoupons: 0, payout: 0 },
    );
    return { vendorId: id, balance: vendor.balance, coupons: lines, totals, balanced: vendor.balance === totals.payout };
  }
}

export function randomVendorName(): string {
  return `${BRANDS[randomInt(BRANDS.length)]}-${randomInt(10_000).toString().padStart(4, '0')}`;
}

function toView(v: { id: number; name: string; balance: bigint }): VendorView {
  return { id: v.id, name: v.name, balance: Number(v.balance) };
}
