// The coupon race (fetch only: no Nest, Prisma or kafkajs), like ../invariants.
export * from './race';
