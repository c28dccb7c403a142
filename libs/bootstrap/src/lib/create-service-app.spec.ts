import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState } from '@ecom/health';
import { createServiceApp } from './create-service-app';
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

  it('is live, and ready with an empty registry until shutdown begins', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    app.get(ShutdownState).begin();
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'shutting_down' });
  });

  it('publishes an OpenAPI document listing the routes, and swagger ui', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: 'Things service', description: 'for the bootstrap specs' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/things', '/things/slow', '/health/live', '/health/ready']));
    expect(doc.paths).not.toHaveProperty('/metrics');
    expect(doc.components.schemas).toHaveProperty('CreateThingDto');
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
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

  it('serves prometheus metrics', async () => {
    await app.inject({ method: 'GET', url: '/things' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/things"/);
  });
});
