import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { readEnv } from '@ecom/config';
import { bearerFor } from '@ecom/testing';
import { productService } from '../src/app/product.service';

// the search limit (per address) and the write limit (per user) of two replicas, counted in the
// redis they share: whichever replica a request reaches, the limit is the same

const octet = () => Math.floor(Math.random() * 250) + 1;
/** an address of this run's own, so no other test's counts meet this one's */
const newAddress = () => `10.${octet()}.${octet()}.${octet()}`;

describe('product-service rate limits across replicas (real redis)', () => {
  const replicas: NestFastifyApplication[] = [];
  const run = randomUUID().slice(0, 8);
  let admin: string;
  const search = (replica: number, remoteAddress: string) =>
    replicas[replica].inject({ method: 'GET', url: `/api/products/search?q=tea-${run}`, remoteAddress });
  const create = (replica: number, sku: string) =>
    replicas[replica].inject({
      method: 'POST',
      url: '/api/products',
      headers: { authorization: admin },
      payload: { sku, name: 'Sencha', description: 'steamed leaf', price: { amount: 700, currency: 'EUR' }, stock: 3, category: `tea-${run}`, tags: ['green'] },
    });

  beforeAll(async () => {
    const env = { ...readEnv(), RATE_LIMIT_SEARCH: '3/1m', RATE_LIMIT_WRITE: '2/1m' };
    for (let i = 0; i < 2; i++) replicas.push(await createServiceApp(productService, { env }));
    admin = await bearerFor('admin', `admin-${run}`);
  });

  afterAll(async () => {
    for (const app of replicas) await app.close();
  });

  it("counts an address's searches on every replica together, and refuses the one over the limit with 429 and Retry-After", async () => {
    const address = newAddress();
    for (const replica of [0, 1, 0]) expect((await search(replica, address)).statusCode).toBe(200);
    const refused = await search(1, address);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, detail: expect.stringMatching(/^too many requests; try again in \d+ s$/) });
    // another address is not held back
    expect((await search(1, newAddress())).statusCode).toBe(200);
  });

  it("counts a user's writes on every replica together; the refused one creates nothing", async () => {
    expect((await create(0, `a-${run}`)).statusCode).toBe(201);
    expect((await create(1, `b-${run}`)).statusCode).toBe(201);
    expect((await create(0, `c-${run}`)).statusCode).toBe(429);
    const listed = await replicas[1].inject({ method: 'GET', url: `/api/products?category=tea-${run}` });
    expect(listed.json().items.map((p: { sku: string }) => p.sku).sort()).toEqual([`a-${run}`, `b-${run}`]);
  });
});
