import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gateway } from '@ecom/testing';

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
      res.end('{}');
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const port = (backend.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'gateway-'));
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    gateway = await Gateway.start(free, { user: port, product: port, order: port, analytics: port, notification: port }, dir);
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
});
