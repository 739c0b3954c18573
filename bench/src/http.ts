/** One JSON request to a local server, with a bearer token when given; throws on a status of 300 or more. */
export async function http<T>(method: string, port: number, path: string, body?: unknown, token?: string): Promise<T> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
