import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthIndicatorService } from '@nestjs/terminus';
import { createServiceApp } from '@ecom/bootstrap';
import { HealthRegistry } from '@ecom/health';
import { accountService } from './guarded.spec-helper';
import { TokenSigner } from './token-signer';

describe('the readiness details on the public port', () => {
  let app: NestFastifyApplication;
  const ready = (token?: string) =>
    app.inject({ method: 'GET', url: '/health/ready', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const tokenFor = async (role: 'customer' | 'admin') => (await app.get(TokenSigner).sign({ sub: `${role}-1`, role })).accessToken;

  beforeAll(async () => {
    app = await createServiceApp(accountService, { env: { LOG_LEVEL: 'silent' } });
    app.get(HealthRegistry).register(() => new HealthIndicatorService().check('mongodb').up({ version: '7.0.14' }));
  });
  afterAll(() => app.close());

  it('are shown to an admin token', async () => {
    const res = await ready(await tokenFor('admin'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', details: { mongodb: { status: 'up', version: '7.0.14' } } });
  });

  it('are not shown without a token, to a customer, or to a forged admin token: the status only, never a 401', async () => {
    const forged = await new TokenSigner({
      privateKey: generateKeyPairSync('ed25519').privateKey,
      ttlSeconds: 60,
      issuer: 'ecom-user-service',
      audience: 'ecom',
    }).sign({ sub: 'admin-1', role: 'admin' });
    for (const token of [undefined, await tokenFor('customer'), forged.accessToken, 'not-a-token']) {
      const res = await ready(token);
      expect({ status: res.statusCode, body: res.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    }
  });
});
