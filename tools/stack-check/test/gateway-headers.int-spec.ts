import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, Gateway, rawBytes } from '@ecom/testing';

// the gateway's template (deploy/gateway) on the real nginx, in front of a server that echoes the
// headers it receives: what a client sends is not what the services are told

describe('the gateway, as the edge', () => {
  let backend: Server;
  let gateway: Gateway;
  let dir: string;
  let received: IncomingHttpHeaders = {};

  beforeAll(async () => {
    backend = createServer((req, res) => {
      received = req.headers;
      res.setHeader('content-type', 'application/json');
      // a service's own caching header, as libs/http noStoreByDefault or a route sets it
      if (req.url === '/api/orders/own-header') res.setHeader('cache-control', 'private, max-age=5');
      res.end('{}');
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const port = (backend.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'gateway-'));
    gateway = await Gateway.start(await freePort(), { user: port, product: port, order: port, analytics: port, notification: port }, dir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await new Promise((r) => backend?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (headers: Record<string, string>) => fetch(`${gateway.url}/api/orders`, { headers });

  it('tells the services the address that connected, whatever X-Forwarded-For the client sent', async () => {
    await get({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' });
    expect(received['x-forwarded-for']).toBe('127.0.0.1');
    await get({});
    expect(received['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('keeps a log-safe correlation id, and replaces anything else with one of its own', async () => {
    const kept = await get({ 'x-correlation-id': 'order-42:retry.1' });
    expect(kept.headers.get('x-correlation-id')).toBe('order-42:retry.1');
    expect(received['x-correlation-id']).toBe('order-42:retry.1');
    for (const hostile of ['<script>alert(1)</script>', 'a'.repeat(129), 'two words']) {
      const res = await get({ 'x-correlation-id': hostile });
      const id = res.headers.get('x-correlation-id');
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(received['x-correlation-id']).toBe(id);
    }
  });

  it('marks every answer as data, never a page, and personal data as not to be stored', async () => {
    for (const path of ['/api/orders', '/api/products/p-1', '/nowhere']) {
      const res = await fetch(`${gateway.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    for (const path of ['/api/users/me', '/api/orders', '/api/notifications/stream', '/api/auth/login', '/api/analytics/summary'])
      expect((await fetch(`${gateway.url}${path}`)).headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${gateway.url}/api/products/p-1`)).headers.get('cache-control')).toBeNull();
    // a service's own header is kept, not doubled with the gateway's
    expect((await fetch(`${gateway.url}/api/orders/own-header`)).headers.get('cache-control')).toBe('private, max-age=5');
  });

  it("answers its own refusals (a body over 1 MB, a request it can't parse or hold) as problem+json, echoing no query, and never turns a malformed request into a 500", async () => {
    const tooLarge = await fetch(`${gateway.url}/api/orders?token=s3cret`, { method: 'POST', body: 'x'.repeat(1_100_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toBe('application/problem+json');
    expect(await tooLarge.json()).toMatchObject({ status: 413, title: 'Payload Too Large', instance: '/api/orders' });

    // what nginx refuses itself, before it has a uri (raw bytes, so the client library can't tidy
    // them up): problem+json too, the query never echoed, with the security headers and no-store
    const refusals: [string, number, string][] = [
      [`GET /api/orders?token=s3cret&q=${'a'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 414, 'URI Too Long'],
      ['GARBAGE\r\n\r\n', 400, 'Bad Request'],
      ['GET /api/orders?token=s3cret%00 HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'Bad Request'],
      ['GET /api/orders HTTP/1.1\r\nHost: x\r\nBad Header\r\nConnection: close\r\n\r\n', 400, 'Bad Request'],
      [`GET /api/orders HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\nConnection: close\r\n\r\n`, 400, 'Bad Request'],
    ];
    for (const [request, status, title] of refusals) {
      const answer = await rawBytes(gateway.port, request);
      expect([answer.status, answer.headers['content-type'], answer.headers['cache-control']]).toEqual([status, 'application/problem+json', 'no-store']);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'about:blank', title, status, instance: '' });
      expect(answer.body).not.toContain('s3cret');
    }
    // the pages behind them are nobody's route
    const internal = await fetch(`${gateway.url}/__gateway/400`);
    expect([internal.status, internal.headers.get('content-type')]).toEqual([404, 'application/problem+json']);

    const quoted = await fetch(`${gateway.url}/nowhere%22%7D`);
    expect(quoted.status).toBe(404);
    expect(await quoted.json()).toMatchObject({ status: 404, instance: '' });
  });
});
