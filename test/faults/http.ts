/** What a JSON call answered; status 0 when no answer came (refused, reset, timed out). */
export interface Reply<T = unknown> {
  status: number;
  body: T;
  ms: number;
  error?: string;
}

export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as `Authorization: Bearer <token>` (every route but the public ones needs one). */
  token?: string;
  timeoutMs?: number;
}

export async function call<T = unknown>(base: string, method: string, path: string, { body, token, timeoutMs = 60_000 }: CallOptions = {}): Promise<Reply<T>> {
  const began = Date.now();
  try {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (a proxy's error page…): keep the text
    }
    return { status: res.status, body: parsed as T, ms: Date.now() - began };
  } catch (error) {
    return { status: 0, body: undefined as T, ms: Date.now() - began, error: (error as Error).name };
  }
}

/** Like call(), but throws unless the status is the expected one (set-up calls). */
export async function must<T>(status: number, base: string, method: string, path: string, options: CallOptions = {}): Promise<T> {
  const r = await call<T>(base, method, path, options);
  if (r.status !== status) throw new Error(`${method} ${base}${path} answered ${r.status} (expected ${status}): ${JSON.stringify(r.body) ?? r.error}`);
  return r.body;
}

/** Runs fn over items with at most `limit` at once. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
