// Pure checks: the bench, the coupon experiment and the fault kit use them without loading Nest,
// Fastify, Prisma and kafkajs.
export * from './coupon-invariants';
