export * from './prisma.service';
export * from './mysql-url';
export * from './outbox-signal';
export * from './unit-of-work';
export * from './inbox-retention';
export * from './insert-many';
export * from './database.module';
export { Prisma } from './generated/prisma/client';
export * from './generated/prisma/enums';
