import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { REDIS } from '@ecom/store-redis';
import { readiness, tcpProxy, untilReady, waitFor, type TcpProxy } from '@ecom/testing';
import { loginLimitKeys } from '../src/app/login/login-rate-limiter';
import { userService } from '../src/app/user.service';

// the login limits live in redis. while redis is unreachable, login fails closed: 503 with
// Retry-After, because answering without the limits would hand attackers unlimited guesses.
// the rest of the service keeps serving, and readiness reports redis down without failing.

describe('user-service while redis is down (real redis behind a proxy this test cuts)', () => {
  let app: NestFastifyApplication;
  let redis: TcpProxy;
  const run = randomUUID().slice(0, 8);
  const email = `outage.${run}@example.com`;
  const password = 'correct-horse-42';
  const ip = `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
  const login = (p = password) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: p }, remoteAddress: ip });

  beforeAll(async () => {
    const target = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    redis = await tcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    target.port = String(redis.port);
    app = await createServiceApp(userService, { env: { ...process.env, REDIS_URL: target.toString() } });
    const registered = await app.inject({ method: 'POST', url: '/api/users', payload: { email, password, name: 'Outage' } });
    expect(registered.statusCode).toBe(201);
    await untilReady(app);
  });

  afterAll(async () => {
    await redis?.up();
    await app?.close();
    await redis?.close();
  });

  // the failures each counter of this email and address holds, as the service keeps them in redis
  const counts = async () => {
    const redis = app.get<Redis>(REDIS);
    return Promise.all(loginLimitKeys(email, ip).map(async (key) => Number((await redis.hget(key, 'n')) ?? 0)));
  };

  it('logs in while redis answers, and counts the failures', async () => {
    expect((await login()).statusCode).toBe(200);
    for (const wrong of ['wrong-password-a', 'wrong-password-b']) expect((await login(wrong)).statusCode).toBe(401);
    // one account from one address, the address, the account
    expect(await counts()).toEqual([2, 2, 2]);
  });

  it('answers 503 with Retry-After to every login while redis is down, right or wrong password', async () => {
    await redis.down();
    for (const attempt of [password, 'wrong-password-1']) {
      const res = await login(attempt);
      expect(res.statusCode).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain('accessToken');
    }
  });

  it('stays ready, reporting redis down, since its readiness gate is mongodb', async () => {
    const { statusCode, body } = await readiness(app);
    expect({ statusCode, redis: body.details['redis']?.status, mongodb: body.details['mongodb']?.status }).toEqual({
      statusCode: 200,
      redis: 'down',
      mongodb: 'up',
    });
  });

  it('logs in again by itself once redis is back', async () => {
    await redis.up();
    const res = await waitFor('a login to succeed after redis returns', async () => {
      const r = await login();
      return r.statusCode === 200 && r;
    });
    expect(res.json()).toMatchObject({ tokenType: 'Bearer' });
  });

  it('counted nothing of the logins refused while redis was down, and the login since started the address over on the account', async () => {
    // the refused attempts wrote nothing; the successful one cleared the pair and left the other counters as they were
    expect(await counts()).toEqual([0, 2, 2]);
    const redis = app.get<Redis>(REDIS);
    const [, address, account] = loginLimitKeys(email, ip);
    for (const key of [address, account]) expect(await redis.pttl(key)).toBeGreaterThan(0);
  });
});
