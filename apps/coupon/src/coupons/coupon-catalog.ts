import { randomInt } from 'node:crypto';

/** The coupon kinds POST /coupons/random picks from, with the payout (minor units) a vendor gets per issued coupon. */
export const COUPON_CATALOG = [
  { type: 'WELCOME', value: 1000 },
  { type: 'DISCOUNT_10', value: 500 },
  { type: 'FREE_SHIPPING', value: 300 },
  { type: 'BIRTHDAY', value: 2000 },
  { type: 'FLASH_SALE', value: 1500 },
] as const;

export const randomCatalogEntry = () => COUPON_CATALOG[randomInt(COUPON_CATALOG.length)];
