// Pure checks, importable on their own as `@app/platform/invariants`: the bench, the coupon
// experiment and the fault kit use them without loading Nest, Fastify, Prisma and kafkajs, which
// the `@app/platform` barrel brings (≈1.5 s and ≈120 MB for one function).
export * from './coupon-invariants';
