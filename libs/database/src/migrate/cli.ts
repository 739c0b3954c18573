// `node dist/libs/database/src/migrate/cli.js` (npm run db:migrate), or in development
// `npx ts-node libs/database/src/migrate/cli.ts`. Creates the database if needed, then applies
// pending migrations. Exit code 1 (with the reason) on any refusal, so start scripts stop early.
import { baseEnv } from '@app/config';
import { ensureDatabase, migrate } from './runner';

async function main(): Promise<void> {
  // unset or empty: the project's own MariaDB (DEFAULT_DATABASE_URL)
  const parsed = baseEnv.pick({ DATABASE_URL: true }).safeParse({ DATABASE_URL: process.env.DATABASE_URL || undefined });
  if (!parsed.success) throw new Error(`DATABASE_URL: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const url = parsed.data.DATABASE_URL;
  await ensureDatabase(url);
  const { applied } = await migrate(url);
  if (applied.length === 0) console.log('database is up to date');
  for (const name of applied) console.log(`applied ${name}`);
}

main().catch((err: unknown) => {
  console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
