// The console against the six apps in-process (one isolated stack), its browser script
// compiled for the run, and Debian's Chromium looking at it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsoleEnv } from '@app/config';
import { runConsole, RunningConsole } from '../src/run-console';
import { SagaStack, startSaga } from '../../order/test/saga-stack';
import { Browser, launchChromium } from '../../../test/browser/chromium';
import { CouponModule } from '../../coupon/src/coupon.module';

const root = join(__dirname, '../../..');

export interface ConsoleKit {
  saga: SagaStack;
  console: RunningConsole;
  browser: Browser;
  close(): Promise<void>;
}

/** Compiles apps/console/web to a fresh directory (what `npm run build` puts in dist). */
function compileScript(): string {
  const out = mkdtempSync(join(tmpdir(), 'console-web-'));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'apps/console/web/tsconfig.json'), '--outDir', out], {
    stdio: 'inherit',
  });
  return out;
}

export async function startConsoleKit(label: string): Promise<ConsoleKit> {
  const webDir = compileScript();
  const saga = await startSaga(label);
  // the coupon app serves the ops API (consumer groups, dead letters) the Kafka view reads
  const coupon = await saga.stack.start('coupon', CouponModule);
  const { urls } = saga;
  const env = loadConsoleEnv({
    ORDER_URL: urls.order,
    STOCK_URL: urls.stock,
    PAYMENT_URL: urls.payment,
    SHIPMENT_URL: urls.shipment,
    NOTIFICATION_URL: urls.notification,
    COUPON_URL: coupon.url,
    // the console verifies its callers' tokens (an operator starts a race) with the apps' key
    AUTH_JWT_SECRET: saga.stack.env.AUTH_JWT_SECRET,
  });
  const running = await runConsole(env, { port: 0, webDir, logger: false });
  const browser = await launchChromium();
  return {
    saga,
    console: running,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await running.close().catch(() => undefined);
      await saga.close();
    },
  };
}

/** `fetch` as the stack's operator (the page signs in as one too), for the checks beside the page. */
export const asOperator = (kit: ConsoleKit, url: string): Promise<Response> =>
  fetch(url, { headers: { authorization: `Bearer ${kit.saga.stack.operatorToken}` } });

/** Where screenshots go: docs/ with UPDATE_SCREENSHOTS=1 (the README's), else .local/screenshots. */
export function screenshotPath(name: string): string {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? join(root, 'docs') : join(root, '.local/screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
