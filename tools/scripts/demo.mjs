#!/usr/bin/env node
// npm run demo: starts everything that is not running yet (npm start), seeds a small catalog,
// then plays the platform's story through the gateway, printing each step:
// register and log in, search, order, the saga's confirmation, a live notification, analytics,
// a cancel that puts the stock back, and an order the stock cannot serve.
//   DEMO_BASE_URL (default http://localhost:8080); ADMIN_EMAIL / ADMIN_PASSWORD as for user-service
import { randomUUID } from 'node:crypto';
import process from 'node:process';
import { run } from './lib/proc.mjs';
import { SERVICES } from './lib/services.mjs';
import { UserError, bold, dim, main, ok, setPrefix, step } from './lib/ui.mjs';

const BASE = (process.env.DEMO_BASE_URL ?? `http://localhost:${process.env.GATEWAY_PORT || 8080}`).replace(/\/$/, '');
const ADMIN = { email: process.env.ADMIN_EMAIL ?? 'admin@example.com', password: process.env.ADMIN_PASSWORD ?? 'admin-password-local' };

const CATALOG = [
  {
    sku: 'DEMO-SENCHA',
    name: 'Sencha green tea',
    description: 'Steamed Japanese green tea, grassy and bright',
    price: { amount: 1250, currency: 'EUR' },
    stock: 40,
    category: 'tea',
    tags: ['green', 'japan'],
  },
  {
    sku: 'DEMO-ASSAM',
    name: 'Assam black tea',
    description: 'Malty breakfast tea from India',
    price: { amount: 990, currency: 'EUR' },
    stock: 40,
    category: 'tea',
    tags: ['black', 'india'],
  },
  {
    sku: 'DEMO-KYUSU',
    name: 'Kyusu teapot',
    description: 'Side-handle clay teapot for green tea',
    price: { amount: 4500, currency: 'EUR' },
    stock: 3,
    category: 'teaware',
    tags: ['teapot'],
  },
  {
    sku: 'DEMO-CUP',
    name: 'Porcelain tea cup',
    description: 'Thin white cup',
    price: { amount: 800, currency: 'EUR' },
    stock: 100,
    category: 'teaware',
    tags: ['cup'],
  },
];

/**
 * @param {string} method
 * @param {string} path
 * @param {{ token?: string, body?: unknown, headers?: Record<string, string> }} [options]
 */
async function call(method, path, { token, body, headers = {} } = {}) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

function expectStatus(res, status, what) {
  if (res.status !== status) throw new UserError(`${what}: expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function eventually(what, fn, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new UserError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const show = (label, value) => console.log(`    ${dim(label.padEnd(14))} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
const money = (m) => `${(m.amount / 100).toFixed(2)} ${m.currency}`;

/** the first `event: notification` pushed on the stream, or null after the timeout */
async function firstPushed(path, timeoutMs) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(`${BASE}${path}`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    if (res.status !== 200) throw new UserError(`the notification stream answered ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end; (end = buffer.indexOf('\n\n')) >= 0; buffer = buffer.slice(end + 2)) {
        const lines = buffer.slice(0, end).split('\n');
        if (!lines.includes('event: notification')) continue;
        return JSON.parse(
          lines
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n'),
        );
      }
    }
    return null;
  } catch (e) {
    if (e.name === 'AbortError') return null;
    throw e;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

async function seed(admin) {
  step(bold('seeding the catalog (as the admin)'));
  const products = {};
  for (const p of CATALOG) {
    const created = await call('POST', '/api/products', { token: admin, body: p });
    if (created.status === 201) {
      products[p.sku] = created.body;
      show('created', `${p.sku}  ${p.name}  ${money(p.price)}  stock ${p.stock}`);
      continue;
    }
    expectStatus(created, 409, `creating ${p.sku}`);
    const page = expectStatus(await call('GET', `/api/products?category=${p.category}&limit=100`), 200, 'listing the catalog');
    const existing = page.items.find((i) => i.sku === p.sku);
    if (!existing) throw new UserError(`${p.sku} exists but is not listed`);
    products[p.sku] = existing;
    show('exists', `${p.sku}  ${existing.name}  stock ${existing.stock}`);
  }
  return products;
}

async function story() {
  step(`checking the gateway at ${BASE}`);
  const admin = expectStatus(await call('POST', '/api/auth/login', { body: ADMIN }), 200, 'the admin login').accessToken;
  const products = await seed(admin);
  const sencha = products['DEMO-SENCHA'];

  console.log();
  step(bold('1. a customer registers and logs in'));
  const email = `demo-${randomUUID().slice(0, 8)}@example.com`;
  const password = `demo-${randomUUID()}-1`;
  const user = expectStatus(await call('POST', '/api/users', { body: { email, password, name: 'Demo Customer' } }), 201, 'registering');
  show('registered', `${user.email} (${user.id})`);
  const token = expectStatus(await call('POST', '/api/auth/login', { body: { email, password } }), 200, 'logging in').accessToken;
  show('logged in', `bearer token, ${token.length} characters`);

  console.log();
  step(bold('2. the customer searches the tea category for "green tea"'));
  const found = await eventually('sencha in search', async () => {
    const r = await call('GET', '/api/products/search?q=green%20tea&category=tea&limit=3');
    return r.status === 200 && r.body.items.some((i) => i.id === sencha.id) && r.body;
  });
  for (const hit of found.items) show(`score ${hit.score.toFixed(2)}`, `${hit.name}  ${money(hit.price)}`);
  show('facets', found.facets.category.map((c) => `${c.value} (${c.count})`).join(', '));

  console.log();
  step(bold('3. the customer orders 2 × Sencha, and listens for notifications'));
  const streamToken = expectStatus(await call('POST', '/api/notifications/stream-tokens', { token }), 201, 'a stream token').token;
  const pushed = firstPushed(`/api/notifications/stream?token=${encodeURIComponent(streamToken)}`, 15_000);
  await new Promise((r) => setTimeout(r, 300)); // let the stream connect
  const stockBefore = expectStatus(await call('GET', `/api/products/${sencha.id}`), 200, 'reading the product').stock;
  const placed = expectStatus(
    await call('POST', '/api/orders', {
      token,
      body: { items: [{ productId: sencha.id, quantity: 2 }] },
      headers: { 'idempotency-key': randomUUID() },
    }),
    202,
    'placing the order',
  );
  show('placed', `${placed.id}: ${placed.status}`);
  const confirmed = await eventually('the order to settle', async () => {
    const o = (await call('GET', `/api/orders/${placed.id}`, { token })).body;
    return o.status !== 'PENDING' && o;
  });
  show('saga', `${confirmed.status}, total ${confirmed.total ? money(confirmed.total) : '-'} (prices from the catalog)`);
  show('stock', `${stockBefore} → ${(await call('GET', `/api/products/${sencha.id}`)).body.stock}`);
  const live = await pushed;
  show('pushed (SSE)', live ? `${live.title}: ${live.body}` : 'nothing within 15 s');
  const inbox = expectStatus(await call('GET', '/api/notifications', { token }), 200, 'listing notifications');
  show('inbox', `${inbox.total} notifications, ${inbox.unread} unread: ${inbox.items.map((n) => n.title).join(' | ')}`);

  console.log();
  step(bold('4. the admin looks at the last hour in analytics'));
  const from = new Date(Date.now() - 3600_000).toISOString();
  const summary = await eventually('analytics to count the order', async () => {
    const s = (await call('GET', `/api/analytics/summary?from=${encodeURIComponent(from)}`, { token: admin })).body;
    return s?.orders?.confirmed > 0 && s;
  });
  show('orders', summary.orders);
  show('revenue', summary.revenue.map(money).join(', '));
  show('signups', summary.usersRegistered);
  show(
    'top products',
    summary.topProducts
      .slice(0, 3)
      .map((p) => `${p.productId.slice(0, 8)}… × ${p.quantity}`)
      .join(', '),
  );

  console.log();
  step(bold('5. the customer cancels; the stock goes back'));
  const cancelled = expectStatus(await call('POST', `/api/orders/${placed.id}/cancel`, { token }), 200, 'cancelling');
  show('order', cancelled.status);
  const restored = await eventually('the stock to come back', async () => {
    const s = (await call('GET', `/api/products/${sencha.id}`)).body.stock;
    return s === stockBefore && s;
  });
  show('stock', `back to ${restored}`);

  console.log();
  step(bold('6. an order the stock cannot serve'));
  const teapot = products['DEMO-KYUSU'];
  const big = expectStatus(
    await call('POST', '/api/orders', { token, body: { items: [{ productId: teapot.id, quantity: 99 }] } }),
    202,
    'placing the big order',
  );
  const rejected = await eventually('the order to settle', async () => {
    const o = (await call('GET', `/api/orders/${big.id}`, { token })).body;
    return o.status !== 'PENDING' && o;
  });
  show('saga', `${rejected.status}: ${rejected.reason}`);

  console.log();
  const ui = SERVICES.map((s) => s.managementPort);
  ok(
    `demo finished. Swagger UIs (management ports, local only): http://127.0.0.1:${ui[0]}/docs … ${ui.at(-1)}/docs; \`npm stop\` stops everything.`,
  );
}

main(async () => {
  setPrefix('demo');
  if (!process.env.DEMO_BASE_URL) {
    step('making sure everything runs (npm start; running services are left as they are)');
    const { code } = await run(process.execPath, ['tools/scripts/start.mjs']);
    if (code !== 0) throw new UserError('npm start failed (see above); fix that first, then run `npm run demo` again');
  }
  await story();
  return 0;
});
