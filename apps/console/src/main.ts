import { ConfigError, loadConsoleEnv } from '@app/config';
import { runConsole } from './run-console';

// The console: http://localhost:3000 (CONSOLE_PORT), a page over the services' public APIs.
async function main(): Promise<void> {
  const env = loadConsoleEnv();
  const running = await runConsole(env);
  console.log(`[console] serving ${running.url}`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`[console] ${error.message}`);
  else console.error('[console] failed to start:', error);
  process.exit(1);
});
