import { createHash, createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { asAdmin, type Actor } from './support/actors';
import { api } from './support/api';
import { PUBLISHED_DEV_PRIVATE_KEY } from './support/published-dev-key';

// the key that was once committed can't mint anything: an admin token signed with it, shaped
// exactly as user-service issued them then (kid, issuer, audience), gets 401 from every service,
// while a real admin token gets through on the same routes

const key = createPrivateKey(PUBLISHED_DEV_PRIVATE_KEY);
const { crv, kty, x } = createPublicKey(key).export({ format: 'jwk' });
const kid = createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url');

const forge = (claims: { sub: string; role: string }) =>
  new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
    .setSubject(claims.sub)
    .setIssuer('ecom-user-service')
    .setAudience('ecom')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);

const run = randomUUID().slice(0, 8);
const product = () => ({
  sku: `E2E-FORGED-${run}-${randomUUID().slice(0, 4)}`,
  name: `Forged ${run}`,
  description: 'created by a real admin only',
  price: { amount: 100, currency: 'EUR' },
  stock: 1,
  category: `e2e-${run}`,
  tags: [],
});

// one route of each service that needs a token: admin-only where the service has one
interface Route {
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly body?: () => object;
}
const ROUTES: Route[] = [
  { service: 'user-service', method: 'GET', path: '/api/users' },
  { service: 'product-service', method: 'POST', path: '/api/products', body: product },
  { service: 'order-service', method: 'GET', path: '/api/orders' },
  { service: 'analytics-service', method: 'GET', path: '/api/analytics/summary' },
  { service: 'notification-service', method: 'GET', path: '/api/notifications' },
];

describe('a token signed with the key that was once committed', () => {
  let admin: Actor;
  let forged: string;

  beforeAll(async () => {
    admin = await asAdmin();
    forged = await forge({ sub: admin.id, role: 'admin' });
  });

  it.each(ROUTES)('$service refuses it with 401 on $method $path, and takes a real admin token there', async ({ method, path, body }) => {
    const refused = await api(method, path, { token: forged, body: body?.() });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const allowed = await api(method, path, { token: admin.token, body: body?.() });
    expect(allowed.status).toBeLessThan(300);
  });
});
