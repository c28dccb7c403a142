import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from './create-service-app';
import { thingsService } from './things.spec-helper';

describe('a known path asked with a method it does not take', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createServiceApp(thingsService, { env: { LOG_LEVEL: 'silent' } });
  });
  afterAll(() => app.close());

  it.each(['TRACE', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405, the methods it takes in Allow, as problem+json', async (method) => {
    const res = await app.inject({ method: method as never, url: '/things?page=2' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 405, title: 'Method Not Allowed', instance: '/things' });
  });

  it('still answers 404 for a path nobody serves, and serves the methods it takes', async () => {
    const unknown = await app.inject({ method: 'TRACE' as never, url: '/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
    expect((await app.inject({ method: 'GET', url: '/things' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/things' })).statusCode).toBe(200);
  });
});
