import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { Topics } from '@ecom/events';
import { KAFKA } from '@ecom/kafka';
import { findMessage } from '@ecom/testing';
import { LOCAL_ADMIN } from '../src/app/accounts/admin-seed.config';
import { userService } from '../src/app/user.service';

// registration, login and the caller's profile, through http on the real stores

describe('user-service accounts (real mongodb, redis, kafka)', () => {
  let app: NestFastifyApplication;
  const run = randomUUID().slice(0, 8);
  const email = `Ann.${run}@Example.com`;
  const password = 'correct-horse-42';

  // a client address of this run's own, so the login limits' counters are not shared with other runs
  // (the limits themselves: login-limits.int-spec.ts)
  const ip = `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
  const post = (url: string, payload: object, remoteAddress = ip) => app.inject({ method: 'POST', url, payload, remoteAddress });
  const login = (e: string, p: string, from = ip) => post('/api/auth/login', { email: e, password: p }, from);

  beforeAll(async () => {
    app = await createServiceApp(userService);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('registers a user without ever showing the password or its hash, and publishes user.registered', async () => {
    const res = await post('/api/users', { email, password, name: 'Ann' });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toEqual({ id: expect.any(String), email, name: 'Ann', role: 'customer', createdAt: expect.any(String) });
    expect(res.body).not.toMatch(/password|argon2/i);

    const event = await findMessage(app.get<Kafka>(KAFKA), Topics.UserRegistered, (m) => m.key?.toString() === user.id);
    expect(JSON.parse(event.value?.toString() ?? '{}').payload).toEqual({ userId: user.id, email, name: 'Ann', role: 'customer' });
  });

  it('refuses the same email in another case with 409', async () => {
    const res = await post('/api/users', { email: email.toLowerCase(), password, name: 'Ann again' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a weak password and a malformed email with 400 naming the fields', async () => {
    const res = await post('/api/users', { email: 'not-an-email', password: 'short', name: 'X' });
    expect(res.statusCode).toBe(400);
    expect([...new Set(res.json().errors.map((e: { field: string }) => e.field))].sort()).toEqual(['email', 'password']);
  });

  it('refuses with 400 an address the user.registered contract would refuse, instead of failing on the event', async () => {
    const res = await post('/api/users', { email: `a=b.${run}@example.com`, password, name: 'Eq' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['email']);
  });

  it('logs in with any case of the email, and returns a bearer token', async () => {
    const res = await login(email.toUpperCase(), password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
  });

  it('answers 401 alike to a wrong password and an unknown email', async () => {
    const wrong = await login(email, 'wrong-password-1');
    const unknown = await login(`nobody.${run}@example.com`, password);
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('shows the caller their own profile, and nothing without a token', async () => {
    const { accessToken } = (await login(email, password)).json();
    const me = await app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email, role: 'customer' });
    expect((await app.inject({ method: 'GET', url: '/api/users/me' })).statusCode).toBe(401);
  });

  it('creates the admin from config at start-up', async () => {
    const res = await login(LOCAL_ADMIN.email, LOCAL_ADMIN.password);
    expect(res.statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${res.json().accessToken}` } });
    expect(me.json().role).toBe('admin');
  });
});
