import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createServiceApp } from '@ecom/bootstrap';
import { readEnv } from '@ecom/config';
import { bearerFor } from '@ecom/testing';
import { orderService } from '../src/app/order.service';

// the write limit of two replicas, counted in the postgres they share: whichever replica a
// shopper's requests reach, the limit is the same. a refused order is not written

describe('order-service rate limits across replicas (real postgres)', () => {
  const replicas: NestFastifyApplication[] = [];
  const run = randomUUID().slice(0, 8);
  const tokens: Record<string, string> = {};
  const call = (replica: number, method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
    replicas[replica].inject({ method, url, payload, headers: { authorization: tokens[who] } });
  const place = (replica: number, who: string) => call(replica, 'POST', '/api/orders', who, { items: [{ productId: `p-${run}`, quantity: 1 }] });

  beforeAll(async () => {
    const env = { ...readEnv(), RATE_LIMIT_WRITE: '3/1m' };
    for (let i = 0; i < 2; i++) replicas.push(await createServiceApp(orderService, { env }));
    for (const who of ['ann', 'bob']) tokens[who] = await bearerFor('customer', `${who}-${run}`);
  });

  afterAll(async () => {
    for (const app of replicas) await app.close();
  });

  it("counts a shopper's writes on every replica together, and refuses the one over the limit with 429 and Retry-After", async () => {
    const first = await place(0, 'ann');
    expect(first.statusCode).toBe(202);
    expect((await place(1, 'ann')).statusCode).toBe(202);
    // a cancel is a write too: the same budget
    expect((await call(1, 'POST', `/api/orders/${first.json().id}/cancel`, 'ann')).statusCode).toBe(200);

    const refused = await place(0, 'ann');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await place(1, 'ann')).statusCode).toBe(429);

    // nothing of the refused orders was written: ann has her two
    const mine = await call(1, 'GET', '/api/orders', 'ann');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toHaveLength(2);
  });

  it('gives another shopper a budget of their own', async () => {
    expect((await place(1, 'bob')).statusCode).toBe(202);
  });

  it('keeps the counts in an unlogged table: nothing of them waits for a WAL flush', async () => {
    const [table] = await replicas[0].get(DataSource).query(`select relpersistence from pg_class where relname = 'rate_limit_counts'`);
    expect(table).toEqual({ relpersistence: 'u' });
  });
});
