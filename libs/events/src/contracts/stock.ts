import { z } from 'zod';
import { minorUnits, positiveInt, sku, uuid } from './common';

export const StockReserved = z.object({ orderId: uuid, sku, count: positiveInt, amount: minorUnits });
export type StockReserved = z.infer<typeof StockReserved>;

export const StockRejectReason = z.enum(['OUT_OF_STOCK', 'UNKNOWN_PRODUCT']);
export type StockRejectReason = z.infer<typeof StockRejectReason>;

export const StockRejected = z.object({ orderId: uuid, sku, count: positiveInt, reason: StockRejectReason });
export type StockRejected = z.infer<typeof StockRejected>;

/** The reservation of a failed order was given back. */
export const StockReleased = z.object({ orderId: uuid, sku, count: positiveInt });
export type StockReleased = z.infer<typeof StockReleased>;
