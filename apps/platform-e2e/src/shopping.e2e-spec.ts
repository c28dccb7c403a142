import { randomUUID } from 'node:crypto';
import { asAdmin, newCustomer, type Actor } from './support/actors';
import { api, eventually, seen } from './support/api';
import { SseStream } from './support/sse';

// the story of the product, through the gateway only: accounts, catalog and search, the order
// saga over kafka, stock that never oversells, notifications and analytics that follow

const run = randomUUID().slice(0, 8);

const revenueIn = (summary: { revenue: { currency: string; amount: number }[] }, currency: string) =>
  summary.revenue.find((r) => r.currency === currency)?.amount ?? 0;

/** reads until two reads a second apart agree: analytics has caught up with what came before */
async function quiet<T>(read: () => Promise<T>): Promise<T> {
  let last = JSON.stringify(await read());
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await read();
    if (JSON.stringify(now) === last) return now;
    last = JSON.stringify(now);
  }
  throw new Error('analytics did not settle within 20 s');
}

describe('shopping through the gateway', () => {
  let admin: Actor;
  let ada: Actor;
  let bob: Actor;

  const createProduct = async (name: string, stock: number, amount: number) => {
    const res = await api('POST', '/api/products', {
      token: admin.token,
      body: {
        sku: `E2E-${name.toUpperCase()}-${run}`,
        name: `${name} ${run}`,
        description: `e2e ${name}`,
        price: { amount, currency: 'EUR' },
        stock,
        category: `e2e-${run}`,
        tags: ['e2e'],
      },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; sku: string; stock: number };
  };
  const stockOf = async (id: string): Promise<number> => (await api('GET', `/api/products/${id}`)).body.stock;
  const order = (who: Actor, items: { productId: string; quantity: number }[], key?: string) =>
    api('POST', '/api/orders', { token: who.token, body: { items }, headers: key ? { 'idempotency-key': key } : {} });
  const settled = (who: Actor, id: string, timeoutMs = 5_000) =>
    eventually(
      `order ${id} to settle`,
      async () => {
        const o = (await api('GET', `/api/orders/${id}`, { token: who.token })).body;
        return o.status !== 'PENDING' && o;
      },
      timeoutMs,
    );

  beforeAll(async () => {
    admin = await asAdmin();
    ada = await newCustomer('Ada');
    bob = await newCustomer('Bob');
  });

  afterAll(() => {
    const errors = seen.filter((s) => s.status >= 500);
    expect(errors).toEqual([]);
  });

  it('registers and logs in a customer, who can read their own profile', async () => {
    const me = await api('GET', '/api/users/me', { token: ada.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: ada.id, email: ada.email, role: 'customer' });
    expect(JSON.stringify(me.body)).not.toMatch(/password/i);
  });

  it('refuses anonymous writes with 401 and customers writing to the catalog with 403', async () => {
    expect((await api('POST', '/api/orders', { body: { items: [{ productId: 'x', quantity: 1 }] } })).status).toBe(401);
    expect((await api('POST', '/api/products', { body: {} })).status).toBe(401);
    const res = await api('POST', '/api/products', {
      token: ada.token,
      body: { sku: 'NOPE', name: 'n', description: '', price: { amount: 1, currency: 'EUR' }, stock: 1, category: 'c', tags: [] },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.correlationId).toEqual(expect.any(String));
  });

  it('finds new products in search within 2 s, with highlights and facets', async () => {
    const teapot = await createProduct('Teapot', 5, 2500);
    const started = Date.now();
    const hit = await eventually(
      'the teapot in search',
      async () => {
        const r = await api('GET', `/api/products/search?q=teapot&category=e2e-${run}`);
        return r.body.items?.find((i: { id: string }) => i.id === teapot.id) && r.body;
      },
      2_000,
      50,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hit.total).toBe(1);
    expect(hit.items[0].highlights.name.join(' ')).toContain('<em>Teapot</em>');
    expect(hit.facets.category).toEqual([{ value: `e2e-${run}`, count: 1 }]);
  });

  describe('the order saga', () => {
    let cup: { id: string };

    beforeAll(async () => {
      // enough stock for an order that outsells, in the summary's top 10, whatever the suites before this
      // one sold in the same minutes (the load test orders a few units of each of its products)
      cup = await createProduct('Cup', 50, 1250);
    });

    it('confirms an order within 5 s at the catalog price; the stock goes down, a notification is listed and pushed, analytics counts it', async () => {
      const stream = await SseStream.open('/api/notifications/stream', { authorization: `Bearer ${ada.token}` });
      expect(stream.status).toBe(200);
      const from = new Date(Date.now() - 60_000).toISOString();
      const summary = async () =>
        (await api('GET', `/api/analytics/summary?from=${encodeURIComponent(from)}`, { token: admin.token })).body;
      const before = await quiet(summary);
      try {
        const placed = await order(ada, [{ productId: cup.id, quantity: 20 }]);
        expect(placed.status).toBe(202);
        expect(placed.body).toMatchObject({ status: 'PENDING', total: null });
        const confirmed = await settled(ada, placed.body.id);
        expect(confirmed).toMatchObject({ status: 'CONFIRMED', total: { amount: 25000, currency: 'EUR' } });
        expect(confirmed.items).toEqual([
          { productId: cup.id, quantity: 20, sku: `E2E-CUP-${run}`, name: `Cup ${run}`, unitPrice: { amount: 1250, currency: 'EUR' } },
        ]);
        expect(await stockOf(cup.id)).toBe(30);

        const pushed = await eventually('the confirmation pushed over SSE', async () =>
          stream.events.map((e) => JSON.parse(e.data)).find((n) => n.type === 'order.confirmed' && n.data.orderId === placed.body.id),
        );
        const inbox = (await api('GET', '/api/notifications', { token: ada.token })).body;
        expect(inbox.items.find((n: { id: string }) => n.id === pushed.id)).toMatchObject({ type: 'order.confirmed', read: false });
        expect(inbox.unread).toBeGreaterThanOrEqual(1);

        // order.placed and order.confirmed are consumed independently, and an event's rows (count,
        // revenue, product sales) are written in parallel: wait for every one of them. the counts and
        // the revenue are the whole platform's, and the suites before this one (the fuzzer, the load
        // test) leave orders whose events may still be arriving: they can only grow by at least this
        // order. the product's sales are this order's alone, so they must be exact
        await eventually('analytics to count the order, its revenue and its product', async () => {
          const now = await summary();
          return (
            now.orders.placed >= before.orders.placed + 1 &&
            now.orders.confirmed >= before.orders.confirmed + 1 &&
            revenueIn(now, 'EUR') - revenueIn(before, 'EUR') >= 25000 &&
            now.topProducts.some((p: { productId: string; quantity: number }) => p.productId === cup.id && p.quantity === 20) &&
            now
          );
        });
      } finally {
        await stream.close();
      }
    });

    it('hides my order from another customer (404) and shows it in my list', async () => {
      const { body } = await order(ada, [{ productId: cup.id, quantity: 1 }]);
      expect((await api('GET', `/api/orders/${body.id}`, { token: bob.token })).status).toBe(404);
      expect((await api('POST', `/api/orders/${body.id}/cancel`, { token: bob.token })).status).toBe(404);
      const mine = await api('GET', '/api/orders?limit=100', { token: ada.token });
      expect(mine.body.items.map((o: { id: string }) => o.id)).toContain(body.id);
      expect(mine.body.items.every((o: { userId: string }) => o.userId === ada.id)).toBe(true);
      expect((await settled(ada, body.id)).status).toBe('CONFIRMED');
    });

    it('puts the stock back when an order is cancelled, and refuses a second cancel with 409', async () => {
      const before = await stockOf(cup.id);
      const { body } = await order(ada, [{ productId: cup.id, quantity: 1 }]);
      await settled(ada, body.id);
      expect(await stockOf(cup.id)).toBe(before - 1);
      const cancelled = await api('POST', `/api/orders/${body.id}/cancel`, { token: ada.token });
      expect(cancelled.body.status).toBe('CANCELLED');
      await eventually('the stock to come back', async () => (await stockOf(cup.id)) === before, 5_000);
      expect((await api('POST', `/api/orders/${body.id}/cancel`, { token: ada.token })).status).toBe(409);
      await eventually('the cancellation in my notifications', async () => {
        const inbox = (await api('GET', '/api/notifications', { token: ada.token })).body;
        return inbox.items.some(
          (n: { type: string; data: { orderId?: string } }) => n.type === 'order.cancelled' && n.data.orderId === body.id,
        );
      });
    });

    it('rejects an order over the available stock, with the reason', async () => {
      const { body } = await order(ada, [{ productId: cup.id, quantity: 50 }]);
      const rejected = await settled(ada, body.id);
      expect(rejected.status).toBe('REJECTED');
      expect(rejected.reason).toMatch(new RegExp(`^insufficient stock for E2E-CUP-${run}: requested 50, available \\d+$`));
    });

    it('creates one order when the same Idempotency-Key is replayed, and 422s a different body', async () => {
      const key = randomUUID();
      const first = await order(ada, [{ productId: cup.id, quantity: 1 }], key);
      const again = await order(ada, [{ productId: cup.id, quantity: 1 }], key);
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
      expect((await order(ada, [{ productId: cup.id, quantity: 2 }], key)).status).toBe(422);
      const mine = await api('GET', '/api/orders?limit=100', { token: ada.token });
      expect(mine.body.items.filter((o: { id: string }) => o.id === first.body.id)).toHaveLength(1);
      await settled(ada, first.body.id);
    });

    it('never oversells: 50 concurrent orders of 1 against stock 10 give 10 CONFIRMED and 40 REJECTED', async () => {
      const mug = await createProduct('Mug', 10, 800);
      const customers = [ada, bob, await newCustomer('Cy'), await newCustomer('Di'), await newCustomer('Ed')];
      let lowest = Infinity;
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          lowest = Math.min(lowest, await stockOf(mug.id));
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
      const placed = await Promise.all(Array.from({ length: 50 }, (_, i) => order(customers[i % 5], [{ productId: mug.id, quantity: 1 }])));
      expect(placed.every((p) => p.status === 202)).toBe(true);
      const outcomes = await Promise.all(placed.map((p, i) => settled(customers[i % 5], p.body.id, 30_000)));
      watching = false;
      await watcher;
      expect(outcomes.filter((o) => o.status === 'CONFIRMED')).toHaveLength(10);
      expect(outcomes.filter((o) => o.status === 'REJECTED')).toHaveLength(40);
      expect(await stockOf(mug.id)).toBe(0);
      expect(lowest).toBeGreaterThanOrEqual(0);
    });
  });
});
