// The coupon race, importable on its own as `@app/platform/coupon-race` (fetch only: no Nest,
// Prisma or kafkajs), like ../invariants.
export * from './race';
