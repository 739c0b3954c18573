import { z } from 'zod';

export const Sku = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a sku: 1-64 letters, digits, _ or -');

/**
 * PUT /stock/:sku. Price is capped so that count (max 1000) x price fits the INT amount columns.
 */
export const SetStockDto = z.strictObject({
  available: z.number().int().min(0).max(1_000_000),
  price: z.number().int().min(0).max(2_000_000),
});
export type SetStockDto = z.infer<typeof SetStockDto>;

/** GET /stock: the products in sku order, up to `limit` (default 100, at most 1000). */
export const ListStockQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
export type ListStockQuery = z.infer<typeof ListStockQuery>;

/** A product's stock level: units available to order, units reserved by orders, unit price. */
export const ProductView = z.object({
  sku: z.string(),
  available: z.number().int(),
  reserved: z.number().int(),
  price: z.number().int(),
});
export type ProductView = z.infer<typeof ProductView>;

/** GET /stock: in sku order. */
export const ProductList = z.array(ProductView);
export type ProductList = z.infer<typeof ProductList>;
