/** Position in the (createdAt desc, id desc) order: opaque base64url of "createdAt|id" to clients. */
export interface OrderCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(c: OrderCursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

export function decodeCursor(raw: string): OrderCursor | undefined {
  const [at, id, extra] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (extra !== undefined || !id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) return undefined;
  return { createdAt, id };
}
