export const log = (message: string): void =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rounds to `digits` decimals; NaN and the infinities pass through. */
export const round = (x: number, digits = 1): number =>
  Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x;

/** The median of the finite values, NaN when there is none. */
export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A figure as text: thousands separated, n/a when missing. */
export const fmt = (x: number | undefined | null, digits = 1): string =>
  x === undefined || x === null || !Number.isFinite(x)
    ? 'n/a'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits });

/** Text made safe for an SVG element. */
export const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
