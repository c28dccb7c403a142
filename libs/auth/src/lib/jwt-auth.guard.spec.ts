import { generateKeyPairSync } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, managementServer } from '@ecom/bootstrap';
import { httpConfig, jwtVerifyConfig, serviceConfig } from '@ecom/config';
import { AuthModule } from './auth.module';
import { accountService } from './guarded.spec-helper';
import { TokenSigner } from './token-signer';
import { TokenVerifier } from './token-verifier';

describe('JwtAuthGuard', () => {
  let app: NestFastifyApplication;
  const get = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const tokenFor = async (role: 'customer' | 'admin') => (await app.get(TokenSigner).sign({ sub: `${role}-1`, role })).accessToken;

  beforeAll(async () => {
    app = await createServiceApp(accountService, { env: { LOG_LEVEL: 'silent' } });
  });
  afterAll(() => app.close());

  it('lets a @Public() route through without a token', async () => {
    const res = await get('/catalog');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ sku: 'tea' }]);
  });

  it('answers 401 problem+json to a protected route without a token', async () => {
    const res = await get('/me');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'a bearer token is required', instance: '/me' });
    const basic = await app.inject({ method: 'GET', url: '/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.statusCode).toBe(401);
  });

  it('answers 401 to a malformed token or one signed by another key, saying why', async () => {
    const garbage = await get('/me', 'not-a-token');
    expect(garbage.statusCode).toBe(401);
    expect(garbage.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(garbage.json().detail).toBe('the bearer token is invalid (malformed)');
    const other = new TokenSigner({
      privateKey: generateKeyPairSync('ed25519').privateKey,
      ttlSeconds: 60,
      issuer: 'ecom-user-service',
      audience: 'ecom',
    });
    const forged = await get('/me', (await other.sign({ sub: 'admin-1', role: 'admin' })).accessToken);
    expect(forged.statusCode).toBe(401);
    expect(forged.json().detail).toBe('the bearer token is invalid (unknown key)');
  });

  it('serves the verified user to a token from login', async () => {
    const login = await app.inject({ method: 'POST', url: '/login' });
    expect(login.statusCode).toBe(201);
    const { accessToken, tokenType, expiresIn } = login.json();
    expect({ tokenType, expiresIn }).toEqual({ tokenType: 'Bearer', expiresIn: 900 });
    const me = await get('/me', accessToken);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ id: 'user-1', role: 'customer', email: 'ann@example.com' });
  });

  it('answers 403 to a customer on an admin route, and lets an admin through', async () => {
    const denied = await get('/admin/report', await tokenFor('customer'));
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ status: 403, title: 'Forbidden', detail: 'requires role admin' });
    const allowed = await get('/admin/report', await tokenFor('admin'));
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json()).toEqual({ orders: 3 });
  });

  it('keeps health public, metrics and the docs open on the management listener, and documents the bearer scheme', async () => {
    for (const url of ['/health/live', '/health/ready']) {
      expect({ url, status: (await get(url)).statusCode }).toEqual({ url, status: 200 });
    }
    const management = managementServer(app);
    for (const url of ['/metrics', '/docs', '/docs-json']) {
      expect({ url, status: (await management.inject({ method: 'GET', url })).statusCode }).toEqual({ url, status: 200 });
    }
    const doc = (await management.inject({ method: 'GET', url: '/docs-json' })).json();
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    expect(doc.paths['/me'].get.security).toEqual([{ bearer: [] }]);
  });

  it('answers 404, not 401, to an unknown route', async () => {
    expect((await get('/nope')).statusCode).toBe(404);
  });
});

describe('AuthModule.forRoot', () => {
  @Module({ imports: [AuthModule.forRoot()] })
  class VerifyOnlyModule {}
  @Module({ imports: [AuthModule.forRoot({ sign: true })] })
  class SigningModule {}
  const service = (module: typeof VerifyOnlyModule) =>
    ({ name: 'x-service', module, config: [serviceConfig('x-service'), httpConfig(3996), jwtVerifyConfig()] }) as const;

  it('verifies without a signer in every service but user-service', async () => {
    const app = await createServiceApp(service(VerifyOnlyModule), { env: { LOG_LEVEL: 'silent' } });
    try {
      expect(app.get(TokenVerifier)).toBeInstanceOf(TokenVerifier);
      expect(() => app.get(TokenSigner)).toThrow();
    } finally {
      await app.close();
    }
  });

  it('refuses to start a signer without its config piece, naming the piece', async () => {
    await expect(createServiceApp(service(SigningModule), { env: { LOG_LEVEL: 'silent' } })).rejects.toThrow(
      "AuthModule needs jwtSignConfig() in the service's config",
    );
  });
});
