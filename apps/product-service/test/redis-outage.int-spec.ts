import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { REDIS } from '@ecom/store-redis';
import { bearerFor, readiness, tcpProxy, untilReady, waitFor, type TcpProxy } from '@ecom/testing';
import { productService } from '../src/app/product.service';

// the product cache is not a dependency: while redis is unreachable, reads go to mongodb and
// writes succeed (their rate limit, counted in redis, lets them pass uncounted), and a write made during the outage replaces the cached entry once redis is back,
// so the old version is never served afterwards.

describe('product-service while redis is down (real redis behind a proxy this test cuts)', () => {
  let app: NestFastifyApplication;
  let redis: TcpProxy;
  let admin: string;
  let id: string;
  const run = randomUUID().slice(0, 8);
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, payload, headers: method === 'GET' ? {} : { authorization: admin } });
  const cachedVersion = async () => {
    const entry = await app.get<Redis>(REDIS).get(`product:${id}`);
    return entry ? Number(entry.slice(0, entry.indexOf('|'))) : null;
  };

  beforeAll(async () => {
    const target = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    redis = await tcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    target.port = String(redis.port);
    app = await createServiceApp(productService, { env: { ...process.env, REDIS_URL: target.toString() } });
    admin = await bearerFor('admin');
    const created = await call('POST', '/api/products', {
      sku: `outage-${run}`,
      name: 'Oolong',
      description: 'rolled leaf',
      price: { amount: 900, currency: 'EUR' },
      stock: 5,
      category: `tea-${run}`,
      tags: ['oolong'],
    });
    expect(created.statusCode).toBe(201);
    id = created.json().id;
    await untilReady(app);
  });

  afterAll(async () => {
    await redis?.up();
    await app?.close();
    await redis?.close();
  });

  it('caches the product while redis answers', async () => {
    expect((await call('GET', `/api/products/${id}`)).json()).toMatchObject({ name: 'Oolong', version: 1 });
    expect(await cachedVersion()).toBe(1);
  });

  it('still reads and writes while redis is down, and reads the write back', async () => {
    await redis.down();
    const read = await call('GET', `/api/products/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ name: 'Oolong', version: 1 });

    const write = await call('PATCH', `/api/products/${id}`, { name: 'Dark oolong' });
    expect(write.statusCode).toBe(200);
    expect(write.json()).toMatchObject({ name: 'Dark oolong', version: 2 });
    expect((await call('GET', `/api/products/${id}`)).json()).toMatchObject({ name: 'Dark oolong', version: 2 });
  });

  it('stays ready, reporting redis down, since its readiness gate is mongodb', async () => {
    const { statusCode, body } = await readiness(app);
    expect({ statusCode, redis: body.details['redis']?.status, mongodb: body.details['mongodb']?.status }).toEqual({
      statusCode: 200,
      redis: 'down',
      mongodb: 'up',
    });
  });

  it('replaces the cached entry with the write from the outage once redis is back', async () => {
    await redis.up();
    await waitFor('the cached entry to reach version 2', async () => (await cachedVersion()) === 2);
    expect((await call('GET', `/api/products/${id}`)).json()).toMatchObject({ name: 'Dark oolong', version: 2 });
  });
});
