import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { freePort, nginxMainConfig, rawBytes, rawRequest, ROOT, waitFor, type RawAnswer } from '@ecom/testing';

// the ingress controller's snippets (deploy/k8s/ingress-controller/controller-config.yaml) on a real
// nginx, laid out as ingress-nginx renders them: the add-headers ConfigMap as http-level
// more_set_headers, the http-snippet in http, the server-snippet in the server, X-Request-ID as
// $req_id, and a rate-limited location per limited Ingress. what the controller refuses itself
// answers in the services' error shape; what a service answers passes untouched.

const NGINX = '/usr/sbin/nginx';
const HEADERS_MORE = '/usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so';

const controller = parse(readFileSync(join(ROOT, 'deploy/k8s/ingress-controller/controller-config.yaml'), 'utf8')) as {
  data: Record<string, string>;
};
const headersConfigMap = (
  parseAllDocuments(readFileSync(join(ROOT, 'deploy/k8s/base/ingress-headers.yaml'), 'utf8')).map((d) => d.toJS()) as {
    metadata: { name: string };
    data: Record<string, string>;
  }[]
).find((d) => d.metadata.name === 'ecom-response-headers');
const responseHeaders = headersConfigMap?.data ?? {};

describe('the ingress controller, its own refusals (real nginx with the controller snippets)', () => {
  let backend: Server;
  let nginx: ChildProcess;
  let port: number;
  let dir: string;
  let reached = 0;

  beforeAll(async () => {
    expect(Object.keys(responseHeaders).length).toBeGreaterThan(0);
    for (const file of [NGINX, HEADERS_MORE])
      if (!existsSync(file)) throw new Error(`${file} is missing: the native stack installs it (npm run stack -- install gateway)`);
    backend = createServer((req, res) => {
      reached++;
      req.resume();
      if (req.url === '/api/own-outage') {
        // a service's own 503: a store is down
        res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '2' });
        res.end('{"title":"store down"}');
        return;
      }
      if (req.url === '/api/own-refusal') {
        // a service's own 429: its body and its Retry-After
        res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '42' });
        res.end('{"title":"from the service"}');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const upstream = (backend.address() as AddressInfo).port;
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'ingress-'));
    mkdirSync(join(dir, 'tmp'));
    chmodSync(join(dir, 'tmp'), 0o777);
    const headers = Object.entries(responseHeaders)
      .map(([k, v]) => `  more_set_headers ${JSON.stringify(`${k}: ${v}`)};`)
      .join('\n');
    const location = (path: string, zone?: string) =>
      `    location ${path} { ${zone ? `limit_req zone=${zone} burst=1 nodelay; ` : ''}client_max_body_size 1m; proxy_pass http://backend; }`;
    const http = `
  limit_req_status ${controller.data['limit-req-status-code']};
${headers}
  map $http_x_request_id $req_id { default $http_x_request_id; "" $request_id; }
${controller.data['http-snippet']}
  limit_req_zone $binary_remote_addr zone=login:1m rate=1r/m;
  limit_req_zone $binary_remote_addr zone=register:1m rate=1r/m;
  upstream backend { server 127.0.0.1:${upstream}; }
  upstream nobody { server 127.0.0.1:${await freePort()}; }
  server {
    listen 127.0.0.1:${port};
${controller.data['server-snippet']}
${location('= /api/auth/login', 'login')}
${location('= /api/users', 'register')}
${location('/api/')}
    location /api/analytics/ { proxy_connect_timeout 2s; proxy_pass http://nobody; }
  }`;
    writeFileSync(join(dir, 'nginx.conf'), `load_module ${HEADERS_MORE};\n${nginxMainConfig(dir, http)}`);
    // nginx logs every refusal; its log is shown only when it does not start
    let log = '';
    nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr?.on('data', (d) => (log += d));
    await waitFor('the ingress nginx to listen', async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited (${nginx.exitCode}):\n${log}`);
      try {
        await send('GET', '/api/products');
        return true;
      } catch {
        return false;
      }
    });
  });

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await new Promise((r) => backend?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const send = (method: string, path: string, opts: { body?: string; headers?: Record<string, string> } = {}) =>
    rawRequest(port, method, path, opts);

  /** a refusal of the controller's own: problem+json, no-store, and the security headers of every answer */
  const expectOwnRefusal = (res: RawAnswer, status: number, instance: string, correlationId: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['cache-control']).toBe('no-store');
    for (const [name, value] of Object.entries(responseHeaders)) expect([name, res.headers[name.toLowerCase()]]).toEqual([name, value]);
    expect(JSON.parse(res.body)).toMatchObject({ type: 'about:blank', status, instance, correlationId });
  };

  it("refuses a login over the limit with 429 problem+json and the login limit's Retry-After, and never passes it on", async () => {
    expect((await send('POST', '/api/auth/login')).status).toBe(200);
    expect((await send('POST', '/api/auth/login')).status).toBe(200);
    const before = reached;
    const refused = await send('POST', '/api/auth/login', { headers: { 'x-request-id': 'req-login-1' } });
    expectOwnRefusal(refused, 429, '/api/auth/login', 'req-login-1');
    expect(JSON.parse(refused.body).title).toBe('Too Many Requests');
    expect(refused.headers['retry-after']).toBe('6');
    expect(reached).toBe(before);
  });

  it("gives a registration refusal the registration limit's Retry-After, and starts a correlation id when none is sent", async () => {
    await send('POST', '/api/users');
    await send('POST', '/api/users');
    const refused = await send('POST', '/api/users');
    expect(refused.headers['retry-after']).toBe('12');
    expectOwnRefusal(refused, 429, '/api/users', JSON.parse(refused.body).correlationId);
    expect(JSON.parse(refused.body).correlationId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a body over 1 MB with 413 problem+json', async () => {
    const before = reached;
    const res = await send('POST', '/api/orders', { body: `"${'x'.repeat(1_100_000)}"`, headers: { 'x-request-id': 'req-big-1' } });
    expectOwnRefusal(res, 413, '/api/orders', 'req-big-1');
    expect(res.headers['retry-after']).toBeUndefined();
    expect(reached).toBe(before);
  });

  it("passes a service's own 429 through untouched: its body, its Retry-After, and the security headers", async () => {
    const res = await send('GET', '/api/own-refusal');
    expect(res.status).toBe(429);
    expect(res.body).toBe('{"title":"from the service"}');
    expect(res.headers['retry-after']).toBe('42');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it("answers a service it cannot reach with 503 problem+json and Retry-After, and passes a service's own 503 as sent", async () => {
    const down = await send('GET', '/api/analytics/summary', { headers: { 'x-request-id': 'req-down-1' } });
    expectOwnRefusal(down, 503, '/api/analytics/summary', 'req-down-1');
    expect(down.headers['retry-after']).toBe('5');
    const outage = await send('GET', '/api/own-outage');
    expect([outage.status, outage.body, outage.headers['retry-after']]).toEqual([503, '{"title":"store down"}', '2']);
  });

  it("answers what nginx refuses itself (a request it can't parse, a line or a header over its buffers) as problem+json, not nginx's html", async () => {
    const before = reached;
    const refusals: [string, number][] = [
      [`GET /api/orders?token=s3cret&q=${'a'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 414],
      ['GARBAGE\r\n\r\n', 400],
      ['GET /api/orders?token=s3cret%00 HTTP/1.1\r\nConnection: close\r\n\r\n', 400],
      [`GET /api/orders HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\nConnection: close\r\n\r\n`, 400],
    ];
    for (const [request, status] of refusals) {
      const res = await rawBytes(port, request);
      expect(res.body).not.toContain('s3cret');
      expectOwnRefusal(res, status, '', JSON.parse(res.body).correlationId);
      expect(JSON.parse(res.body).correlationId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(reached).toBe(before);
  });

  it('never echoes the query, where a stream token may be', async () => {
    await send('POST', '/api/users');
    const refused = await send('POST', '/api/users?token=secret');
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).instance).toBe('/api/users');
    expect(refused.body).not.toContain('secret');
  });
});
