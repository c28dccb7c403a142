import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, Gateway, rawRequest, type RawAnswer } from '@ecom/testing';

// the gateway's rate limits (deploy/gateway), on the real nginx, rendered with small numbers so a
// test reaches them in a few requests: the rates are per minute, so nothing refills while it runs

const LIMITS = {
  GATEWAY_LOGIN_RATE: '1r/m',
  GATEWAY_LOGIN_BURST: '2',
  GATEWAY_LOGIN_RETRY_AFTER: '60',
  GATEWAY_REGISTER_RATE: '1r/m',
  GATEWAY_REGISTER_BURST: '1',
  GATEWAY_REGISTER_RETRY_AFTER: '61',
  GATEWAY_WRITE_RATE: '1r/m',
  GATEWAY_WRITE_BURST: '3',
  GATEWAY_WRITE_RETRY_AFTER: '62',
  GATEWAY_SEARCH_RATE: '1r/m',
  GATEWAY_SEARCH_BURST: '2',
  GATEWAY_SEARCH_RETRY_AFTER: '63',
};

describe('the gateway, rate limits', () => {
  let backend: Server;
  let gateway: Gateway;
  let down: Gateway;
  const dirs: string[] = [];
  let reached = 0;

  beforeAll(async () => {
    backend = createServer((req, res) => {
      reached++;
      req.resume();
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const port = (backend.address() as AddressInfo).port;
    const dir = (name: string) => {
      const d = mkdtempSync(join(tmpdir(), name));
      dirs.push(d);
      return d;
    };
    const all = { user: port, product: port, order: port, analytics: port, notification: port };
    gateway = await Gateway.start(await freePort(), all, dir('gateway-limits-'), LIMITS);
    // every service behind this one is down: nothing listens on its ports
    const nothing = await freePort();
    down = await Gateway.start(
      await freePort(),
      { user: nothing, product: nothing, order: nothing, analytics: nothing, notification: nothing },
      dir('gateway-down-'),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await down?.stop();
    await new Promise((r) => backend?.close(r));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** a request from a chosen local address: every 127/8 address is this machine's own */
  const send = (via: Gateway, method: string, path: string, opts: { from?: string; headers?: Record<string, string> } = {}) =>
    rawRequest(via.port, method, path, opts);

  const statuses = async (n: number, method: string, path: string, opts: { from?: string; headers?: Record<string, string> } = {}) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send(gateway, method, path, opts)).status);
    return out;
  };

  /** a 429 or 503 of the gateway's own: problem+json, a Retry-After in seconds, every security header */
  const expectOwnRefusal = (res: RawAnswer, status: number, retryAfter: string, instance: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['retry-after']).toBe(retryAfter);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f]{32}$/);
    const problem = JSON.parse(res.body);
    expect(problem).toMatchObject({ type: 'about:blank', status, instance, correlationId: res.headers['x-correlation-id'] });
  };

  it('refuses the (rate + burst + 1)th login from one address with 429 problem+json, and never passes it on', async () => {
    // burst 2 on top of the first: three logins pass
    expect(await statuses(3, 'POST', '/api/auth/login', { from: '127.0.0.2' })).toEqual([200, 200, 200]);
    const before = reached;
    const refused = await send(gateway, 'POST', '/api/auth/login', { from: '127.0.0.2' });
    expectOwnRefusal(refused, 429, '60', '/api/auth/login');
    expect(JSON.parse(refused.body).title).toBe('Too Many Requests');
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(reached).toBe(before);
  });

  it('counts the address that connected: a forged X-Forwarded-For does not reset the limit, another address has its own', async () => {
    expect(await statuses(3, 'POST', '/api/auth/login', { from: '127.0.0.3' })).toEqual([200, 200, 200]);
    for (const forged of ['203.0.113.7', '198.51.100.1, 127.0.0.9', '127.0.0.4']) {
      const res = await send(gateway, 'POST', '/api/auth/login', {
        from: '127.0.0.3',
        headers: { 'x-forwarded-for': forged, 'x-real-ip': forged },
      });
      expect([forged, res.status]).toEqual([forged, 429]);
    }
    // the address the header named is untouched, and so is any other
    expect(await statuses(3, 'POST', '/api/auth/login', { from: '127.0.0.4' })).toEqual([200, 200, 200]);
    expect((await send(gateway, 'POST', '/api/auth/login', { from: '127.0.0.4' })).status).toBe(429);
  });

  it('limits registrations (POST /api/users), not the list of users', async () => {
    expect(await statuses(2, 'POST', '/api/users', { from: '127.0.0.5' })).toEqual([200, 200]);
    expectOwnRefusal(await send(gateway, 'POST', '/api/users', { from: '127.0.0.5' }), 429, '61', '/api/users');
    expect(await statuses(5, 'GET', '/api/users', { from: '127.0.0.5' })).toEqual([200, 200, 200, 200, 200]);
    // registration has a limit of its own: the write limit of the same address is untouched
    expect(await statuses(4, 'POST', '/api/orders', { from: '127.0.0.5' })).toEqual([200, 200, 200, 200]);
  });

  it('limits writes on every route, counted together, and never reads', async () => {
    const from = '127.0.0.6';
    const writes = [
      ['POST', '/api/orders'],
      ['PATCH', '/api/users/me'],
      ['DELETE', '/api/products/p-1'],
      ['PUT', '/api/notifications/n-1/read'],
    ];
    const passed: number[] = [];
    for (const [method, path] of writes) passed.push((await send(gateway, method, path, { from })).status);
    expect(passed).toEqual([200, 200, 200, 200]);
    expectOwnRefusal(await send(gateway, 'POST', '/api/orders/o-1/cancel', { from }), 429, '62', '/api/orders/o-1/cancel');
    expect((await send(gateway, 'POST', '/api/notifications/stream-tokens', { from })).status).toBe(429);
    for (const path of ['/api/orders', '/api/products/p-1', '/api/users/me', '/api/orders/health'])
      expect([path, (await send(gateway, 'GET', path, { from })).status]).toEqual([path, 200]);
  });

  it('limits search on its own', async () => {
    const from = '127.0.0.7';
    expect(await statuses(3, 'GET', '/api/products/search?q=mug', { from })).toEqual([200, 200, 200]);
    // the instance is the path: the query is never echoed
    expectOwnRefusal(await send(gateway, 'GET', '/api/products/search?q=mug', { from }), 429, '63', '/api/products/search');
    expect(await statuses(3, 'GET', '/api/products?q=mug', { from })).toEqual([200, 200, 200]);
  });

  it('answers a service that is down with 503 problem+json and a Retry-After, for reads and writes', async () => {
    for (const [method, path] of [
      ['GET', '/api/orders'],
      ['POST', '/api/auth/login'],
      ['GET', '/api/products/search'],
    ]) {
      const res = await send(down, method, path);
      expectOwnRefusal(res, 503, '5', path);
      expect(JSON.parse(res.body).title).toBe('Service Unavailable');
    }
  });

  it('sends no Retry-After on answers that are not its own refusals', async () => {
    for (const path of ['/api/orders', '/nowhere']) expect((await send(gateway, 'GET', path)).headers['retry-after']).toBeUndefined();
  });
});
