import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { REDIS } from '@ecom/store-redis';
import { Topics } from '@ecom/events';
import { KAFKA } from '@ecom/kafka';
import { bearerFor, findMessage } from '@ecom/testing';
import { ProductCache } from '../src/app/catalog/product-cache';
import { productService } from '../src/app/product.service';

// the catalog's http side on the real stores: admin writes with their events, public reads, cache

describe('product-service catalog (real mongodb, redis, kafka)', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let customer: string;
  const run = randomUUID().slice(0, 8);
  const category = `tea-${run}`;
  const product = (sku: string, stock = 10) => ({
    sku: `${sku}-${run}`,
    name: `Green tea ${sku}`,
    description: 'loose leaf',
    price: { amount: 1250, currency: 'EUR' },
    stock,
    category,
    tags: ['green'],
  });
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, auth?: string, payload?: object) =>
    app.inject({ method, url, payload, headers: auth ? { authorization: auth } : {} });

  beforeAll(async () => {
    app = await createServiceApp(productService);
    admin = await bearerFor('admin');
    customer = await bearerFor('customer');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lets only admins create products, and refuses a duplicate sku with 409', async () => {
    expect((await call('POST', '/api/products', undefined, product('a'))).statusCode).toBe(401);
    expect((await call('POST', '/api/products', customer, product('a'))).statusCode).toBe(403);
    const created = await call('POST', '/api/products', admin, product('a'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ sku: `a-${run}`, price: { amount: 1250, currency: 'EUR' }, stock: 10, version: 1 });
    expect((await call('POST', '/api/products', admin, product('a'))).statusCode).toBe(409);
  });

  it('refuses negative stock, fractional money and a bad currency, listing each field', async () => {
    const res = await call('POST', '/api/products', admin, { ...product('bad'), stock: -1, price: { amount: 12.5, currency: 'euro' } });
    expect(res.statusCode).toBe(400);
    expect([...new Set(res.json().errors.map((e: { field: string }) => e.field))].sort()).toEqual([
      'price.amount',
      'price.currency',
      'stock',
    ]);
  });

  it('refuses stock and prices too large to stay exact, naming each field', async () => {
    const res = await call('POST', '/api/products', admin, { ...product('huge'), stock: 1e300, price: { amount: 1e20, currency: 'EUR' } });
    expect(res.statusCode).toBe(400);
    expect([...new Set(res.json().errors.map((e: { field: string }) => e.field))].sort()).toEqual(['price.amount', 'stock']);
  });

  it('changes only the fields a PATCH names: tags survive a new description', async () => {
    // a category of their own, so the listing test below still counts only its two
    const { id } = (await call('POST', '/api/products', admin, { ...product('e'), category: `patch-${run}` })).json();
    const patched = await call('PATCH', `/api/products/${id}`, admin, { description: 'whole leaf' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ description: 'whole leaf', tags: ['green'], name: 'Green tea e', stock: 10 });
    const untagged = (await call('POST', '/api/products', admin, { ...product('f'), category: `patch-${run}`, tags: undefined })).json();
    expect(untagged.tags).toEqual([]);
  });

  it('publishes product.upserted with every write', async () => {
    const { id } = (await call('POST', '/api/products', admin, product('b'))).json();
    await call('PATCH', `/api/products/${id}`, admin, { name: 'Renamed tea' });
    const event = await findMessage(app.get<Kafka>(KAFKA), Topics.ProductUpserted, (m) => {
      const env = JSON.parse(m.value?.toString() ?? '{}');
      return m.key?.toString() === id && env.payload?.version === 2;
    });
    expect(JSON.parse(event.value?.toString() ?? '{}').payload).toMatchObject({
      productId: id,
      name: 'Renamed tea',
      version: 2,
      stock: 10,
    });
  });

  it('serves public reads, paginated and filtered by category', async () => {
    const page = (await call('GET', `/api/products?category=${category}&limit=1`)).json();
    expect(page).toMatchObject({ page: 1, limit: 1, total: 2 });
    expect(page.items).toHaveLength(1);
    expect((await call('GET', '/api/products?limit=500')).statusCode).toBe(400);
  });

  it('caches a single read, replaces the entry on every write, and never lets an older version back in', async () => {
    const { id } = (await call('POST', '/api/products', admin, product('c'))).json();
    const redis = app.get<Redis>(REDIS);
    const cache = app.get(ProductCache);
    const v1 = (await call('GET', `/api/products/${id}`)).json();
    expect(v1).toMatchObject({ name: 'Green tea c', version: 1 });
    expect(await redis.exists(`product:${id}`)).toBe(1);
    await call('PATCH', `/api/products/${id}`, admin, { price: { amount: 999, currency: 'EUR' } });
    expect((await cache.get(id))?.price.amount).toBe(999);
    // a read that loaded version 1 before the write finishes after it: it must not win
    const cached = await cache.get(id);
    expect(cached).not.toBeNull();
    if (cached) await cache.put({ ...cached, version: 1, price: { amount: 1, currency: 'EUR' } });
    expect((await call('GET', `/api/products/${id}`)).json()).toMatchObject({ version: 2, price: { amount: 999 } });
  });

  it('deletes a product for good, with product.deleted', async () => {
    const { id } = (await call('POST', '/api/products', admin, product('d'))).json();
    expect((await call('DELETE', `/api/products/${id}`, customer)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/products/${id}`, admin)).statusCode).toBe(204);
    expect((await call('GET', `/api/products/${id}`)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/products/${id}`, admin, { name: 'x' })).statusCode).toBe(404);
    await findMessage(app.get<Kafka>(KAFKA), Topics.ProductDeleted, (m) => m.key?.toString() === id);
  });
});
