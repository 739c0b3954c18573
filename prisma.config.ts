import { defineConfig } from 'prisma/config';

// Prisma 7 reads the connection URL from here (not from schema.prisma). `prisma generate` needs
// no database; the migrations are applied by libs/database/src/migrate (see README).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/commerce' },
});
