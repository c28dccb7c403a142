import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { Topics } from '@ecom/events';
import { KAFKA } from '@ecom/kafka';
import { findMessage } from '@ecom/testing';
import { LOCAL_ADMIN } from '../src/app/accounts/admin-seed.config';
import { userService } from '../src/app/user.service';

// who may see, change and delete which account, through http on the real stores

describe('user-service account management (real mongodb, redis, kafka)', () => {
  let app: NestFastifyApplication;
  const run = randomUUID().slice(0, 8);
  const ip = `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
  const password = 'correct-horse-42';
  let admin: string;
  const accounts: Record<string, { id: string; token: string }> = {};

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token?: string, payload?: object) =>
    app.inject({ method, url, payload, remoteAddress: ip, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const tokenOf = async (email: string, pw: string) =>
    (await call('POST', '/api/auth/login', undefined, { email, password: pw })).json().accessToken as string;

  beforeAll(async () => {
    app = await createServiceApp(userService);
    admin = await tokenOf(LOCAL_ADMIN.email, LOCAL_ADMIN.password);
    for (const name of ['ann', 'bob']) {
      const email = `${name}.${run}@example.com`;
      const { id } = (await call('POST', '/api/users', undefined, { email, password, name })).json();
      accounts[name] = { id, token: await tokenOf(email, password) };
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lets a user read their own account, an admin any, and nobody else (404)', async () => {
    const { ann, bob } = accounts;
    expect((await call('GET', `/api/users/${ann.id}`, ann.token)).statusCode).toBe(200);
    expect((await call('GET', `/api/users/${ann.id}`, admin)).json().email).toBe(`ann.${run}@example.com`);
    expect((await call('GET', `/api/users/${ann.id}`, bob.token)).statusCode).toBe(404);
  });

  it('lists users for admins only, paginated with a stable order', async () => {
    expect((await call('GET', '/api/users', accounts['ann'].token)).statusCode).toBe(403);
    const first = (await call('GET', '/api/users?page=1&limit=2', admin)).json();
    expect(first).toMatchObject({ page: 1, limit: 2, total: expect.any(Number) });
    expect(first.items).toHaveLength(2);
    const second = (await call('GET', '/api/users?page=2&limit=2', admin)).json();
    const ids = [...first.items, ...second.items].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.stringify(first)).not.toMatch(/password/i);
    expect((await call('GET', '/api/users?limit=101', admin)).statusCode).toBe(400);
  });

  it('changes the caller name and password; the old password stops working', async () => {
    const email = `ann.${run}@example.com`;
    const res = await call('PATCH', '/api/users/me', accounts['ann'].token, { name: 'Ann B', password: 'another-horse-43' });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Ann B');
    expect((await call('POST', '/api/auth/login', undefined, { email, password })).statusCode).toBe(401);
    expect((await call('POST', '/api/auth/login', undefined, { email, password: 'another-horse-43' })).statusCode).toBe(200);
    expect((await call('PATCH', '/api/users/me', accounts['ann'].token, {})).statusCode).toBe(400);
  });

  it('deletes an account (self or admin only), frees the email and publishes user.deleted', async () => {
    const { ann, bob } = accounts;
    expect((await call('DELETE', `/api/users/${bob.id}`, ann.token)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/users/${bob.id}`, bob.token)).statusCode).toBe(204);
    expect((await call('GET', `/api/users/${bob.id}`, admin)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/users/${bob.id}`, admin)).statusCode).toBe(404);
    expect((await call('POST', '/api/auth/login', undefined, { email: `bob.${run}@example.com`, password })).statusCode).toBe(401);
    const event = await findMessage(app.get<Kafka>(KAFKA), Topics.UserDeleted, (m) => m.key?.toString() === bob.id);
    expect(JSON.parse(event.value?.toString() ?? '{}').payload).toEqual({ userId: bob.id });
    // the email can be registered again
    expect((await call('POST', '/api/users', undefined, { email: `bob.${run}@example.com`, password, name: 'Bob' })).statusCode).toBe(201);
  });
});
