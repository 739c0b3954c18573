/**
 * Products that exist on a fresh database (inserted at stock start-up, missing SKUs only, so a
 * restart never resets stock). Prices are minor units. `tv` costs more than the default
 * PAYMENT_LIMIT (1,000,000), so ordering one shows the payment-failed compensation path.
 */
export const SEED_PRODUCTS = [
  { sku: 'apple', available: 1000, price: 1200 },
  { sku: 'banana', available: 500, price: 300 },
  { sku: 'laptop', available: 50, price: 990_000 },
  { sku: 'tv', available: 20, price: 1_500_000 },
] as const;
