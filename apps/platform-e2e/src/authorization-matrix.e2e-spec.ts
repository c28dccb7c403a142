import { randomUUID } from 'node:crypto';
import { AUTHORIZATION_MATRIX, CALLERS, type Actor, type Caller, type Fixtures } from './support/authorization-matrix';
import {
  adminDirect,
  callService,
  customerDirect,
  openApiDocument,
  operationsOf,
  SERVICE_NAMES,
  type DirectActor,
  type ServiceName,
} from './support/services';

// the authorization matrix (support/authorization-matrix.ts) against the live OpenAPI documents and
// the running services: every operation has a row, every row an operation, every cell its status

const run = randomUUID().slice(0, 8);

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the authorization matrix', () => {
  const live = new Map<ServiceName, Set<string>>();
  let f: Fixtures;

  beforeAll(async () => {
    for (const service of SERVICE_NAMES) {
      live.set(service, new Set(operationsOf(service, await openApiDocument(service)).map((op) => `${op.method} ${op.path}`)));
    }
    const [customer, otherCustomer, admin] = await Promise.all([customerDirect('Owner'), customerDirect('Other'), adminDirect()]);
    const productBody = () => ({
      sku: `MATRIX-${run}-${randomUUID().slice(0, 8)}`,
      name: `Matrix ${run}`,
      description: 'made by the authorization matrix',
      price: { amount: 100, currency: 'EUR' },
      stock: 10_000,
      category: `matrix-${run}`,
      tags: [],
    });
    const newProduct = async () => {
      const res = await callService('product-service', 'POST', '/api/products', { token: admin.token, body: productBody() });
      if (res.status !== 201) throw new Error(`creating a product answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    const productId = await newProduct();
    const newOrder = async (owner: Actor) => {
      const res = await callService('order-service', 'POST', '/api/orders', {
        token: owner.token,
        body: { items: [{ productId, quantity: 1 }] },
      });
      if (res.status !== 202) throw new Error(`placing an order answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    const orderId = await newOrder(customer);
    // the welcome notification follows the registration over kafka
    const notificationId = await eventually('the welcome notification', async () => {
      const res = await callService('notification-service', 'GET', '/api/notifications', { token: customer.token });
      return res.body?.items?.[0]?.id as string | undefined;
    });
    f = {
      customer,
      otherCustomer,
      admin,
      productId,
      orderId,
      notificationId,
      newCustomer: () => customerDirect('Victim'),
      newProduct,
      newOrder,
      productBody,
    };
  }, 120_000);

  it('has a row for every operation of every live document, and no row for an operation that is gone', () => {
    const missing: string[] = [];
    const stale: string[] = [];
    for (const service of SERVICE_NAMES) {
      const documented = live.get(service) as Set<string>;
      const rows = new Set(Object.keys(AUTHORIZATION_MATRIX[service] ?? {}));
      for (const op of documented) if (!rows.has(op)) missing.push(`${service} ${op}`);
      for (const op of rows) if (!documented.has(op)) stale.push(`${service} ${op}`);
    }
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    expect([...live.values()].reduce((n, ops) => n + ops.size, 0)).toBeGreaterThan(0);
  });

  const cells = SERVICE_NAMES.flatMap((service) =>
    Object.entries(AUTHORIZATION_MATRIX[service] ?? {}).flatMap(([operation, row]) =>
      CALLERS.map((caller) => ({ service, operation, caller, row, expected: row.expect[caller] })),
    ),
  );

  it.each(cells)('$service $operation as $caller: $expected', async ({ service, operation, caller, row, expected }) => {
    if (!live.get(service)?.has(operation)) throw new Error(`${service} no longer has ${operation}: remove its row`);
    const method = operation.split(' ')[0];
    const request = await row.request(f, caller);
    const actor: DirectActor | Actor | undefined =
      request.as ?? (caller === 'anonymous' ? undefined : f[caller as Exclude<Caller, 'anonymous'>]);
    const res = await callService(service, method, request.path, { token: actor?.token, body: request.body });
    // the status, and the body that says why, when it is not the expected one
    expect({ status: res.status, ...(res.status !== expected && { body: res.body }) }).toEqual({ status: expected });
    if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
