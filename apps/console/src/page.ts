import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_CSS, CONSOLE_HTML } from './page-content';

export const CONSOLE_PAGE = Symbol('CONSOLE_PAGE');

/** The page: its HTML and CSS (in the build), and the browser script compiled from apps/console/web. */
export interface ConsolePage {
  html: string;
  css: string;
  script(): string;
}

/**
 * Where the compiled browser script is: dist/apps/console/web/console.js beside this file's
 * dist/apps/console/src (the build compiles apps/console/web/tsconfig.json there), unless given.
 */
export const DEFAULT_WEB_DIR = join(__dirname, '..', 'web');

export function consolePage(webDir = DEFAULT_WEB_DIR): ConsolePage {
  const file = join(webDir, 'console.js');
  let cached: string | undefined;
  return {
    html: CONSOLE_HTML,
    css: CONSOLE_CSS,
    script: () => (cached ??= readFileSync(file, 'utf8')),
  };
}
