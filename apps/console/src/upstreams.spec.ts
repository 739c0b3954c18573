import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadConsoleEnv } from '@app/config';
import { ServiceUnreachableError, Upstreams } from './upstreams';

const KEY = 'k'.repeat(32);

describe('Upstreams', () => {
  const upstreams = new Upstreams(loadConsoleEnv({ AUTH_JWT_SECRET: KEY, ORDER_URL: 'http://order:3001/' }));

  it('keeps every forwarded path on its service', () => {
    expect(upstreams.target('order', '/orders?limit=5').href).toBe('http://order:3001/orders?limit=5');
    expect(upstreams.target('order', '/orders/../health').href).toBe('http://order:3001/health');
    expect(() => upstreams.target('order', '//evil.example/x')).toThrow(/not a path of order/);
  });

  it('reads the services from the env, defaulting to the local ports', () => {
    expect(upstreams.urls).toMatchObject({ order: 'http://order:3001', stock: 'http://127.0.0.1:3002', coupon: 'http://127.0.0.1:3006' });
    expect(() => loadConsoleEnv({ AUTH_JWT_SECRET: KEY, STOCK_URL: 'ftp://x' })).toThrow(/STOCK_URL/);
  });

  describe('against a local server', () => {
    let server: Server;
    let local: Upstreams;
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          if (req.url === '/health') return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"starting"}');
          res.writeHead(req.url === '/missing' ? 404 : 201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ method: req.method, url: req.url, body: body ? (JSON.parse(body) as unknown) : null }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      local = new Upstreams(loadConsoleEnv({ AUTH_JWT_SECRET: KEY, ORDER_URL: url, STOCK_URL: 'http://127.0.0.1:9' }));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('relays the answer unchanged, a 4xx included, with the JSON body sent', async () => {
      const created = await local.forward('order', 'POST', '/orders?x=1', { kind: 'apple' });
      expect(created).toMatchObject({ kind: 'body', status: 201 });
      expect(JSON.parse((created as { body: Buffer }).body.toString())).toEqual({ method: 'POST', url: '/orders?x=1', body: { kind: 'apple' } });
      expect(await local.forward('order', 'GET', '/missing', undefined)).toMatchObject({ kind: 'body', status: 404 });
    });

    it('turns a service that does not answer into SERVICE_UNREACHABLE, and reports each status', async () => {
      await expect(local.forward('stock', 'GET', '/stock', undefined)).rejects.toBeInstanceOf(ServiceUnreachableError);
      const statuses = await local.statuses();
      expect(statuses.find((s) => s.name === 'order')).toMatchObject({ status: 'starting' });
      expect(statuses.find((s) => s.name === 'stock')).toMatchObject({ status: 'unreachable' });
    });
  });
});
