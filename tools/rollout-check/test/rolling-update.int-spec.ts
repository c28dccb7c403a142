import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { kafkaConfig, loadConfig, readEnv } from '@ecom/config';
import { createEnvelope, Topics, type EventEnvelope, type EventsMap, type TopicName } from '@ecom/events';
import { stopKafkajsIdleTimer, toMessage } from '@ecom/kafka';
import { bearerFor, testTopicNames, TopicTap, waitFor } from '@ecom/testing';
import { formatReport, rollingUpdate, type Effects, type RolloutReport, type Scenario } from '../src/rolling-update';

// each service, two instances behind nginx under steady load, replaced one at a time while it
// consumes (or produces) events. npm test runs this with ROLLOUT_REQUESTS=1500 per service;
// `npm run rollout` runs it with 20,000.

const MIN_REQUESTS = Number(process.env['ROLLOUT_REQUESTS'] ?? 1500);
const EVENT_PACE_MS = 40;
const run = randomUUID().slice(0, 8);
const reports: RolloutReport[] = [];

let kafka: Kafka;
let producer: Producer;
let tap: TopicTap;

async function publish<T extends TopicName>(topic: T, envelope: EventEnvelope<EventsMap[T]>): Promise<void> {
  await producer.send({ topic: testTopicNames().physical(topic), messages: [toMessage(envelope)] });
}

/** calls `step` every EVENT_PACE_MS until `done`; returns what each call returned */
async function paced<T>(done: Promise<void>, step: (i: number) => Promise<T>): Promise<T[]> {
  let finished = false;
  void done.then(() => (finished = true));
  const out: T[] = [];
  for (let i = 0; !finished; i++) {
    out.push(await step(i));
    await new Promise((r) => setTimeout(r, EVENT_PACE_MS));
  }
  return out;
}

/** waits until every key has its one effect (or 60 s), then counts */
async function count(keys: readonly string[], effectsOf: (key: string) => Promise<number> | number): Promise<Effects> {
  const counts = async () => Promise.all(keys.map(async (k) => effectsOf(k)));
  await waitFor('every effect', async () => (await counts()).every((c) => c >= 1), { timeoutMs: 60_000, intervalMs: 500 }).catch(
    () => undefined,
  );
  // a second look after a pause: a duplicate would show up late
  await new Promise((r) => setTimeout(r, 1_000));
  const final = await counts();
  return { produced: keys.length, applied: final.filter((c) => c >= 1).length, doubled: final.filter((c) => c > 1).length };
}

const json = async (res: Response) => {
  const body = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${body.slice(0, 200)}`);
  return JSON.parse(body);
};
/**
 * a write on a connection of its own (agent: false, Connection: close). a balancer reload closes idle
 * keep-alive connections; a GET that meets one is retried, but a POST may not be sent twice blindly.
 */
const post = (url: string, body: unknown, auth?: string): Promise<Response> =>
  new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(auth && { authorization: auth }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })));
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`POST ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });

describe(`rolling updates, ${MIN_REQUESTS} requests per service`, () => {
  let admin: string;

  beforeAll(async () => {
    const { kafka: cfg } = loadConfig([kafkaConfig('rollout-check')], readEnv());
    // a raw client, with the services' fix for kafkajs' idle timer (ADR 14), which node 24 warns about otherwise
    stopKafkajsIdleTimer();
    kafka = new Kafka({ clientId: 'rollout-check', brokers: cfg.brokers, logLevel: logLevel.ERROR });
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    tap = await TopicTap.start(kafka, [Topics.UserRegistered, Topics.OrderPlaced, Topics.StockReserved, Topics.OrderRejected]);
    admin = await bearerFor('admin', `rollout-admin-${run}`);
  });

  afterAll(async () => {
    await tap?.stop();
    await producer?.disconnect();
    process.stdout.write(`\n${formatReport(reports)}\n\n`);
  });

  const check = async (scenario: Scenario, basePort: number) => {
    const report = await rollingUpdate(scenario, { basePort, minRequests: MIN_REQUESTS });
    reports.push(report);
    expect(report.load.samples).toEqual([]);
    expect(report.load.nonOk).toBe(0);
    expect(report.load.requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(report.handovers.map((h) => h.exitCode)).toEqual([0, 0]);
    // a reset connection is retried; more than a few dozen would mean the drain is broken
    expect(report.load.retried).toBeLessThanOrEqual(30);
    if (report.effects) {
      expect(report.effects.produced).toBeGreaterThan(0);
      expect(report.effects.applied).toBe(report.effects.produced);
      expect(report.effects.doubled).toBe(0);
    }
  };

  it('user-service: no failed request, and every registration made during the handovers publishes user.registered once', async () => {
    let token = '';
    const registered: string[] = [];
    await check(
      {
        service: 'user-service',
        async setup(base) {
          const email = `rollout-${run}@example.com`;
          await json(await post(`${base}/api/users`, { email, password: `rollout-${run}-pass-1`, name: 'Rollout' }));
          token = `Bearer ${(await json(await post(`${base}/api/auth/login`, { email, password: `rollout-${run}-pass-1` }))).accessToken}`;
        },
        request: () => ({ method: 'GET', path: '/api/users/me', headers: { authorization: token } }),
        async during(base, done) {
          await paced(done, async (i) => {
            const res = await post(`${base}/api/users`, {
              email: `rollout-${run}-${i}@example.com`,
              password: `rollout-${run}-pass-1`,
              name: 'Rollout',
            });
            registered.push((await json(res)).id);
          });
        },
        // the effect of a registration is its event: none may be lost; a copy re-sent by the outbox
        // relay is allowed (consumers drop it) and reported as resent
        verify: async () => {
          const seen = await count(registered, (id) => tap.seen(Topics.UserRegistered, id).length);
          return { ...seen, doubled: 0, resent: seen.doubled };
        },
      },
      4100,
    );
  });

  it('product-service: no failed request, and every order placed during the handovers takes stock exactly once', async () => {
    let productId = '';
    const stock = 100_000;
    const orders: string[] = [];
    await check(
      {
        service: 'product-service',
        async setup(base) {
          productId = (
            await json(
              await post(
                `${base}/api/products`,
                {
                  sku: `ROLLOUT-${run}`,
                  name: 'Rollout tea',
                  description: '',
                  price: { amount: 100, currency: 'EUR' },
                  stock,
                  category: `rollout-${run}`,
                  tags: [],
                },
                admin,
              ),
            )
          ).id;
        },
        request: (i) => (i % 2 ? { method: 'GET', path: `/api/products/${productId}` } : { method: 'GET', path: '/api/products?limit=5' }),
        async during(_base, done) {
          await paced(done, async () => {
            const orderId = randomUUID();
            orders.push(orderId);
            await publish(
              Topics.OrderPlaced,
              createEnvelope(Topics.OrderPlaced, { orderId, userId: `u-${run}`, lines: [{ productId, quantity: 1 }] }, { key: orderId }),
            );
          });
        },
        async verify(base) {
          const answered = await count(orders, (id) => tap.seen(Topics.StockReserved, id).length);
          // the effect is the stock: exactly one unit per order, never more
          const taken = stock - (await json(await fetch(`${base}/api/products/${productId}`))).stock;
          return {
            produced: orders.length,
            applied: Math.min(answered.applied, taken),
            doubled: Math.max(0, taken - orders.length),
            resent: answered.doubled,
          };
        },
      },
      4110,
    );
  });

  it('order-service: no failed request, orders placed during the handovers are published once and settle once', async () => {
    const customer = await bearerFor('customer', `rollout-${run}`);
    const orders: string[] = [];
    await check(
      {
        service: 'order-service',
        request: () => ({ method: 'GET', path: '/api/orders?limit=5', headers: { authorization: customer } }),
        async during(base, done) {
          await paced(done, async () => {
            const { id } = await json(await post(`${base}/api/orders`, { items: [{ productId: `p-${run}`, quantity: 1 }] }, customer));
            orders.push(id);
            await publish(
              Topics.StockRejected,
              createEnvelope(Topics.StockRejected, { orderId: id, reason: 'rollout check' }, { key: id }),
            );
          });
        },
        verify: async () => {
          const placed = await count(orders, (id) => tap.seen(Topics.OrderPlaced, id).length);
          const settled = await count(orders, (id) => tap.seen(Topics.OrderRejected, id).length);
          return { produced: orders.length, applied: Math.min(placed.applied, settled.applied), doubled: placed.doubled + settled.doubled };
        },
      },
      4120,
    );
  });

  it('analytics-service: no failed request, and every signup consumed during the handovers counts once', async () => {
    // a window of its own, far in the past, so the count is exact
    // (any minute in 1971-1998: two runs' 6 h windows overlap with a chance of about 1 in 20,000)
    const windowStart = Date.UTC(1971, 0, 1) + Math.floor(Math.random() * 28 * 365 * 24 * 60) * 60_000;
    let produced = 0;
    await check(
      {
        service: 'analytics-service',
        request: () => ({
          method: 'GET',
          path: '/api/analytics/timeseries?metric=signups&interval=hour',
          headers: { authorization: admin },
        }),
        async during(_base, done) {
          await paced(done, async (i) => {
            const userId = `rollout-analytics-${run}-${i}`;
            const envelope = createEnvelope(
              Topics.UserRegistered,
              { userId, email: `${userId}@example.com`, name: 'R', role: 'customer' },
              { key: userId },
            );
            await publish(Topics.UserRegistered, { ...envelope, occurredAt: new Date(windowStart + i * 1000).toISOString() });
            produced++;
          });
        },
        async verify(base) {
          const window = `from=${new Date(windowStart).toISOString()}&to=${new Date(windowStart + 6 * 3600_000).toISOString()}`;
          const counted = async () =>
            (await json(await fetch(`${base}/api/analytics/summary?${window}`, { headers: { authorization: admin } }))).usersRegistered;
          await waitFor('every signup counted', async () => (await counted()) >= produced, { timeoutMs: 60_000, intervalMs: 500 }).catch(
            () => undefined,
          );
          await new Promise((r) => setTimeout(r, 1_000));
          const n: number = await counted();
          return { produced, applied: Math.min(n, produced), doubled: Math.max(0, n - produced) };
        },
      },
      4130,
    );
  });

  it('notification-service: no failed request, and every signup during the handovers makes exactly one welcome', async () => {
    const reader = await bearerFor('customer', `rollout-reader-${run}`);
    const users: string[] = [];
    await check(
      {
        service: 'notification-service',
        request: () => ({ method: 'GET', path: '/api/notifications', headers: { authorization: reader } }),
        async during(_base, done) {
          await paced(done, async (i) => {
            const userId = `rollout-notification-${run}-${i}`;
            users.push(userId);
            await publish(
              Topics.UserRegistered,
              createEnvelope(
                Topics.UserRegistered,
                { userId, email: `${userId}@example.com`, name: 'R', role: 'customer' },
                { key: userId },
              ),
            );
          });
        },
        verify: async (base) => {
          const tokens = new Map(await Promise.all(users.map(async (u) => [u, await bearerFor('customer', u)] as const)));
          return count(
            users,
            async (u) => (await json(await fetch(`${base}/api/notifications`, { headers: { authorization: tokens.get(u) ?? '' } }))).total,
          );
        },
      },
      4140,
    );
  });
});
