import { asAdmin, newCustomer, type Actor } from './support/actors';
import { api, eventually } from './support/api';
import { SseStream } from './support/sse';

// a deleted user's access token (valid for up to an hour more) and stream token stop working
// in every service as soon as user.deleted reaches it, and the user's open stream ends

/** one authenticated route per service, with what a customer gets while the account exists */
const routes = [
  { service: 'user', method: 'GET', path: '/api/users/me', before: 200 },
  { service: 'order', method: 'GET', path: '/api/orders', before: 200 },
  { service: 'notification', method: 'GET', path: '/api/notifications', before: 200 },
  // admin-only routes: a customer is refused (403) while the account exists, and is nobody (401) after
  { service: 'analytics', method: 'GET', path: '/api/analytics/summary', before: 403 },
  { service: 'product', method: 'DELETE', path: '/api/products/00000000-0000-4000-8000-000000000000', before: 403 },
] as const;

describe('tokens of a deleted user', () => {
  let admin: Actor;
  let gone: Actor;

  beforeAll(async () => {
    admin = await asAdmin();
    gone = await newCustomer('Gone');
  });

  it('stop working in all five services once the user is deleted, and the open stream ends', async () => {
    for (const r of routes) expect({ ...r, status: (await api(r.method, r.path, { token: gone.token })).status }).toEqual({ ...r, status: r.before });
    const streamToken: string = (await api('POST', '/api/notifications/stream-tokens', { token: gone.token })).body.token;
    const open = await SseStream.open('/api/notifications/stream', { authorization: `Bearer ${gone.token}` });
    expect(open.status).toBe(200);

    const deletedAt = Date.now();
    expect((await api('DELETE', `/api/users/${gone.id}`, { token: admin.token })).status).toBe(204);

    for (const r of routes) {
      await eventually(`${r.method} ${r.path} (${r.service}-service) to refuse the deleted user's token`, async () => {
        const res = await api(r.method, r.path, { token: gone.token });
        return res.status === 401 && res;
      });
    }
    // every service has it by now: how long the slowest took
    console.log(`a deleted user's token refused by all five services ${Date.now() - deletedAt} ms after the delete`);
    const refused = await api('GET', '/api/orders', { token: gone.token });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(refused.body.detail).toContain('revoked');

    await eventually('the open stream to end', async () => open.ended);
    const byStreamToken = await SseStream.open(`/api/notifications/stream?token=${streamToken}`);
    expect(byStreamToken.status).toBe(401);
    await byStreamToken.close();
    await open.close();
  });

  it("leaves everyone else's tokens working", async () => {
    const other = await newCustomer('Stays');
    expect((await api('GET', '/api/orders', { token: other.token })).status).toBe(200);
    expect((await api('GET', '/api/users/me', { token: admin.token })).status).toBe(200);
  });
});
