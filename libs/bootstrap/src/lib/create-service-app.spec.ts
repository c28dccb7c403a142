import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState } from '@ecom/health';
import { createServiceApp } from './create-service-app';
import { managementServer } from './management';
import { thingsService } from './things.spec-helper';

describe('createServiceApp', () => {
  let app: NestFastifyApplication;
  const post = (payload: string | object, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/things', payload, headers: { 'content-type': contentType } });

  beforeEach(async () => {
    app = await createServiceApp(thingsService, { env: { LOG_LEVEL: 'silent' } });
  });
  afterEach(() => app.close());

  it('serves the feature routes with a correlation id on every response', async () => {
    const res = await app.inject({ method: 'GET', url: '/things', headers: { 'x-correlation-id': 'trace-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ name: 'fast' }]);
    expect(res.headers['x-correlation-id']).toBe('trace-1');
  });

  it('runs a handler under the correlation id of its request, also once the body has been read', async () => {
    // over a socket, the body in two packets: the second comes in the socket's own callback, outside
    // the context the first hook entered (inject() hands the body over at once and would not show it)
    await app.listen({ port: 0, host: '127.0.0.1' });
    const json = JSON.stringify({ name: 'widget', quantity: 1 });
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode(json.slice(0, 5)));
        await new Promise((r) => setTimeout(r, 50));
        controller.enqueue(new TextEncoder().encode(json.slice(5)));
        controller.close();
      },
    });
    const res = await fetch(`${await app.getUrl()}/things/correlation`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'trace-body' },
    } as RequestInit);
    expect([res.status, await res.json(), res.headers.get('x-correlation-id')]).toEqual([
      201,
      { correlationId: 'trace-body' },
      'trace-body',
    ]);
  });

  it('answers no-store unless the route says otherwise: on data, on problems, and not over a route of its own', async () => {
    expect((await app.inject({ method: 'GET', url: '/things' })).headers['cache-control']).toBe('no-store');
    expect((await app.inject({ method: 'GET', url: '/things/boom' })).headers['cache-control']).toBe('no-store');
    expect((await app.inject({ method: 'GET', url: '/nowhere' })).headers['cache-control']).toBe('no-store');
    expect((await app.inject({ method: 'GET', url: '/things/cacheable' })).headers['cache-control']).toBe('public, max-age=60');
  });

  it('is live, and ready with an empty registry until shutdown begins', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ok' }]);
    app.get(ShutdownState).begin();
    const draining = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(draining.statusCode).toBe(503);
    expect(draining.json()).toEqual({ status: 'shutting_down' });
  });

  it('keeps metrics, the docs and the readiness details off the public listener', async () => {
    for (const url of ['/metrics', '/docs', '/docs-json', '/docs-yaml']) {
      expect({ url, status: (await app.inject({ method: 'GET', url })).statusCode }).toEqual({ url, status: 404 });
    }
    expect(Object.keys((await app.inject({ method: 'GET', url: '/health/ready' })).json())).toEqual(['status']);
  });

  it('serves them on the management listener: live, ready with every check, 503 from shutdown on', async () => {
    const management = managementServer(app);
    expect((await management.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await management.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    app.get(ShutdownState).begin();
    const draining = await management.inject({ method: 'GET', url: '/health/ready' });
    expect([draining.statusCode, draining.json().status]).toEqual([503, 'shutting_down']);
    // the app's routes are not there
    expect((await management.inject({ method: 'GET', url: '/things' })).statusCode).toBe(404);
  });

  it('publishes an OpenAPI document listing the routes, and swagger ui, on the management listener', async () => {
    const management = managementServer(app);
    const doc = (await management.inject({ method: 'GET', url: '/docs-json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: 'Things service', description: 'for the bootstrap specs' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/things', '/things/slow', '/health/live', '/health/ready']));
    expect(doc.paths).not.toHaveProperty('/metrics');
    expect(doc.components.schemas).toHaveProperty('CreateThingDto');
    const ui = await management.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    // swagger ui's own scripts and styles come with it
    const init = await management.inject({ method: 'GET', url: '/docs/swagger-ui-init.js' });
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain('Things service');
    expect((await management.inject({ method: 'GET', url: '/docs/swagger-ui-bundle.js' })).statusCode).toBe(200);
    expect((await management.inject({ method: 'GET', url: '/docs-yaml' })).body).toContain('openapi: 3.');
  });

  it("answers a malformed url with 400 problem+json too, not fastify's own error shape", async () => {
    const res = await app.inject({ method: 'GET', url: '/things/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, title: 'Bad Request', correlationId: expect.any(String) });
  });

  it('accepts a valid body and turns it into the dto class', async () => {
    const res = await post({ name: 'widget', quantity: 2 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ name: 'widget', quantity: 2, transformed: true });
  });

  it('answers 400 problem+json listing each bad field, and refuses unknown fields', async () => {
    const bad = await post({ name: 'x', quantity: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({
      type: 'urn:ecom:problem:validation',
      title: 'Bad Request',
      status: 400,
      instance: '/things',
      errors: [
        { field: 'name', message: 'name must be longer than or equal to 2 characters' },
        { field: 'quantity', message: 'quantity must not be less than 1' },
      ],
    });
    const extra = await post({ name: 'widget', quantity: 1, admin: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors).toEqual([{ field: 'admin', message: 'property admin should not exist' }]);
  });

  it('answers 400 problem+json, not 500, to malformed or empty json', async () => {
    const malformed = await post('{"name": "widget",');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    expect(malformed.json()).toMatchObject({ status: 400, title: 'Bad Request' });
    expect((await post('')).statusCode).toBe(400);
  });

  it('never echoes a credential from the query string in a problem', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere?token=s3cret-stream-token&x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json().instance).toBe('/nowhere?token=[Redacted]&x=1');
    expect(res.body).not.toContain('s3cret');
  });

  it('answers 400 problem+json, not a stack overflow, to json nested thousands deep', async () => {
    for (const depth of [1_000, 10_000]) {
      const deep = await post(`{"name":"widget","quantity":1,"x":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      expect(deep.statusCode).toBe(400);
      expect(deep.headers['content-type']).toContain('application/problem+json');
      expect(deep.json().detail).toBe('the JSON body nests deeper than 32 levels');
    }
    // an ordinary body still goes through
    expect((await post({ name: 'widget', quantity: 1 })).statusCode).toBe(201);
  });

  it('answers 400 problem+json to text that is not text: bytes that are not UTF-8, control characters, half a surrogate pair', async () => {
    const notUtf8 = await post(Buffer.concat([Buffer.from('{"name":"wid'), Buffer.from([0xc3, 0x28]), Buffer.from('get","quantity":1}')]));
    expect(notUtf8.statusCode).toBe(400);
    expect(notUtf8.headers['content-type']).toContain('application/problem+json');
    expect(notUtf8.json().detail).toBe('the JSON body is not valid UTF-8');
    const nul = await post('{"name":"wid\\u0000get","quantity":1}');
    expect(nul.statusCode).toBe(400);
    expect(nul.json().detail).toBe('the JSON body is not plain text: $.name holds a control character');
    const surrogate = await post('{"name":"wid\\ud800get","quantity":1}');
    expect(surrogate.json()).toMatchObject({
      status: 400,
      detail: 'the JSON body is not plain text: $.name holds an unpaired surrogate (not Unicode text)',
    });
    // line breaks and any script are text
    expect((await post({ name: 'wid\nget 緑茶', quantity: 1 })).statusCode).toBe(201);
  });

  it('answers a store outage with 503 problem+json and Retry-After, not 500, hiding the driver message', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/outage' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(res.body).not.toContain('127.0.0.1');
  });

  it('carries the correlation id in every problem, and hides internals of a 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/boom', headers: { 'x-correlation-id': 'trace-9' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ status: 500, title: 'Internal Server Error', correlationId: 'trace-9' });
    expect(res.body).not.toContain('secret');
    const missing = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-correlation-id': 'trace-10' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ status: 404, title: 'Not Found', correlationId: 'trace-10' });
  });

  it('serves prometheus metrics of the public routes on the management listener', async () => {
    await app.inject({ method: 'GET', url: '/things' });
    const res = await managementServer(app).inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/http_server_request_duration_seconds_count\{[^}]*http_route="\/things"/);
  });
});

describe('createServiceApp behind a proxy (HTTP_TRUST_PROXY)', () => {
  // the ingress controller connects (the socket: inject's 127.0.0.1) and appends that peer's address
  const forwarded = { 'x-forwarded-for': '6.6.6.6, 10.1.2.3' };
  const clientIp = async (env: Record<string, string>) => {
    const app = await createServiceApp(thingsService, { env: { LOG_LEVEL: 'silent', ...env } });
    try {
      return (await app.inject({ method: 'GET', url: '/things/ip', headers: forwarded })).json().ip;
    } finally {
      await app.close();
    }
  };

  it('with one hop trusted, takes the entry the proxy appended, not what the client wrote before it', async () => {
    expect(await clientIp({ HTTP_TRUST_PROXY: '1' })).toBe('10.1.2.3');
  });

  it('with two hops trusted, goes one entry further left', async () => {
    expect(await clientIp({ HTTP_TRUST_PROXY: '2' })).toBe('6.6.6.6');
  });

  it('trusting private ranges lets any pod in them write the client ip (why the manifests no longer do)', async () => {
    expect(await clientIp({ HTTP_TRUST_PROXY: 'loopback,10.0.0.0/8' })).toBe('6.6.6.6');
  });

  it('by default believes loopback only, and an untrusted peer is the client itself', async () => {
    expect(await clientIp({})).toBe('10.1.2.3');
    expect(await clientIp({ HTTP_TRUST_PROXY: '192.0.2.1' })).toBe('127.0.0.1');
  });
});
