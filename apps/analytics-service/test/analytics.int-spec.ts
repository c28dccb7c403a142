import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomInt, randomUUID } from 'node:crypto';
import { createServiceApp, managementServer } from '@ecom/bootstrap';
import { createEnvelope, Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventProducer } from '@ecom/kafka';
import { bearerFor, waitFor } from '@ecom/testing';
import { analyticsService } from '../src/app/analytics.service';

// reports fed only by real events through kafka into cassandra. facts are bucketed by occurredAt, so
// this run writes into a three-hour window of its own, somewhere between 1990 and 2010 at 22:00 UTC
// (crossing midnight on purpose): no other run and no real traffic lands there, and counts are exact.

type Topic = 'user.registered' | 'order.placed' | 'order.confirmed' | 'order.rejected' | 'order.cancelled';

const MINUTE = 60_000;

describe('analytics-service reports (real kafka, cassandra)', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let customer: string;
  const run = randomUUID().slice(0, 8);
  const T = Date.UTC(1990, 0, 1, 22) + randomInt(0, 20 * 365) * 86_400_000;
  const iso = (minutes: number) => new Date(T + minutes * MINUTE).toISOString();
  const window = `from=${iso(0)}&to=${iso(180)}`;
  const p = (n: number) => `p${n}-${run}`;

  const event = <T extends Topic>(topic: T, payload: EventsMap[T], key: string, minutes: number): EventEnvelope<EventsMap[T]> => ({
    ...createEnvelope(topic, payload, { key }),
    occurredAt: iso(minutes),
  });
  const send = (...events: [Topic, EventEnvelope][]) =>
    app.get(EventProducer).sendBatch(events.map(([topic, envelope]) => ({ topic, envelope })));
  const signup = (user: string, minutes: number) =>
    event(
      Topics.UserRegistered,
      { userId: `${user}-${run}`, email: `${user}-${run}@example.com`, name: user, role: 'customer' },
      `${user}-${run}`,
      minutes,
    );
  const placed = (order: string, minutes: number) =>
    event(
      Topics.OrderPlaced,
      { orderId: `${order}-${run}`, userId: `u-${run}`, lines: [{ productId: p(1), quantity: 1 }] },
      `${order}-${run}`,
      minutes,
    );
  const confirmed = (order: string, minutes: number, currency: string, lines: [product: string, quantity: number, unitPrice: number][]) =>
    event(
      Topics.OrderConfirmed,
      {
        orderId: `${order}-${run}`,
        userId: `u-${run}`,
        lines: lines.map(([productId, quantity, amount]) => ({ productId, quantity, unitPrice: { amount, currency } })),
        total: { amount: lines.reduce((sum, [, q, a]) => sum + q * a, 0), currency },
      },
      `${order}-${run}`,
      minutes,
    );

  const get = (url: string, auth?: string) => app.inject({ method: 'GET', url, headers: auth ? { authorization: auth } : {} });
  const summary = async (query = window) => {
    const res = await get(`/api/analytics/summary?${query}`, admin);
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const values = async (query: string) => {
    const res = await get(`/api/analytics/timeseries?${query}`, admin);
    expect(res.statusCode).toBe(200);
    return res.json().points.map((pt: { value: number }) => pt.value);
  };

  // sent once, then partly again to prove redeliveries count once
  const s1 = signup('s1', 1);
  const o1Placed = placed('o1', 1);
  const o1Confirmed = confirmed('o1', 2, 'EUR', [
    [p(1), 2, 500],
    [p(2), 1, 1000],
  ]);

  beforeAll(async () => {
    app = await createServiceApp(analyticsService);
    admin = await bearerFor('admin');
    customer = await bearerFor('customer');
    await send(
      [Topics.UserRegistered, s1],
      [Topics.OrderPlaced, o1Placed],
      [Topics.OrderPlaced, placed('o2', 2)],
      [Topics.OrderConfirmed, o1Confirmed],
      [Topics.OrderConfirmed, confirmed('o3', 3, 'USD', [[p(3), 5, 140]])],
      // the next hour, still the same day
      [Topics.UserRegistered, signup('s2', 65)],
      [Topics.OrderPlaced, placed('o3', 65)],
      [Topics.OrderConfirmed, confirmed('o2', 65, 'EUR', [[p(1), 3, 500]])],
      [
        Topics.OrderRejected,
        event(Topics.OrderRejected, { orderId: `o4-${run}`, userId: `u-${run}`, reason: 'out of stock' }, `o4-${run}`, 66),
      ],
      [Topics.OrderCancelled, event(Topics.OrderCancelled, { orderId: `o1-${run}`, userId: `u-${run}` }, `o1-${run}`, 70)],
      // past midnight: the next day's partition
      [Topics.UserRegistered, signup('s3', 125)],
      [Topics.OrderPlaced, placed('o4', 125)],
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sums up every event of the window once: sign-ups, orders by outcome, revenue per currency, top products', async () => {
    const expected = {
      from: iso(0),
      to: iso(180),
      usersRegistered: 3,
      orders: { placed: 4, confirmed: 3, rejected: 1, cancelled: 1 },
      revenue: [
        { currency: 'EUR', amount: 2000 + 1500 },
        { currency: 'USD', amount: 700 },
      ],
      topProducts: [
        { productId: p(1), quantity: 5 },
        { productId: p(3), quantity: 5 },
        { productId: p(2), quantity: 1 },
      ],
    };
    await waitFor('the events in the summary', async () => JSON.stringify(await summary()) === JSON.stringify(expected), {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    // the edges: only the minutes inside the window count
    expect(await summary(`from=${iso(2)}&to=${iso(65)}`)).toMatchObject({ usersRegistered: 0, orders: { placed: 1, confirmed: 2 } });
  });

  it('answers time series with one point per bucket, empty buckets as 0, across midnight', async () => {
    expect(await values(`metric=orders&interval=hour&${window}`)).toEqual([2, 1, 1]);
    expect(await values(`metric=orders&interval=minute&from=${iso(0)}&to=${iso(5)}`)).toEqual([0, 1, 1, 0, 0]);
    expect(await values(`metric=revenue&interval=hour&${window}`)).toEqual([2000, 1500, 0]);
    expect(await values(`metric=revenue&currency=USD&interval=hour&${window}`)).toEqual([700, 0, 0]);
    const days = (await get(`/api/analytics/timeseries?metric=signups&interval=day&${window}`, admin)).json();
    expect(days).toEqual({
      metric: 'signups',
      interval: 'day',
      from: new Date(T - 22 * 60 * MINUTE).toISOString(),
      to: new Date(T + 26 * 60 * MINUTE).toISOString(),
      points: [
        { at: new Date(T - 22 * 60 * MINUTE).toISOString(), value: 2 },
        { at: new Date(T + 2 * 60 * MINUTE).toISOString(), value: 1 },
      ],
    });
  });

  it('counts a redelivered event (same envelope id) once', async () => {
    // each duplicate is followed by a new event with the same key on the same topic, so the same
    // partition: once the new ones show, the duplicates before them have been handled. an event's
    // rows are written in parallel, so every row family of the new events is waited for
    await send(
      [Topics.UserRegistered, s1],
      [Topics.UserRegistered, { ...signup('s4', 150), key: s1.key }],
      [Topics.OrderPlaced, o1Placed],
      [Topics.OrderPlaced, { ...placed('o5', 150), key: o1Placed.key }],
      [Topics.OrderConfirmed, o1Confirmed],
      [Topics.OrderConfirmed, { ...confirmed('o5', 150, 'EUR', [[p(4), 1, 100]]), key: o1Confirmed.key }],
    );
    const after = await waitFor(
      'the events sent after the duplicates',
      async () => {
        const s = await summary();
        const eur = s.revenue.find((r: { currency: string }) => r.currency === 'EUR')?.amount ?? 0;
        return (
          s.usersRegistered >= 4 &&
          s.orders.placed >= 5 &&
          s.orders.confirmed >= 4 &&
          eur >= 3600 &&
          s.topProducts.some((x: { productId: string }) => x.productId === p(4)) &&
          s
        );
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(after).toMatchObject({
      usersRegistered: 4,
      orders: { placed: 5, confirmed: 4, rejected: 1, cancelled: 1 },
      revenue: [
        { currency: 'EUR', amount: 3500 + 100 },
        { currency: 'USD', amount: 700 },
      ],
    });
    expect(after.topProducts).toEqual([
      { productId: p(1), quantity: 5 },
      { productId: p(3), quantity: 5 },
      { productId: p(2), quantity: 1 },
      { productId: p(4), quantity: 1 },
    ]);
  });

  it('is for admins only: 401 without a token, 403 for a customer', async () => {
    for (const url of ['/api/analytics/summary', '/api/analytics/timeseries?metric=orders']) {
      const anonymous = await get(url);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      expect((await get(url, customer)).statusCode).toBe(403);
    }
  });

  it('defaults to the last 24 hours', async () => {
    const s = await summary('');
    expect(Date.parse(s.to) - Date.parse(s.from)).toBe(24 * 60 * MINUTE);
    expect(Math.abs(Date.parse(s.to) - Date.now())).toBeLessThan(2 * MINUTE);
    const series = (await get('/api/analytics/timeseries?metric=orders', admin)).json();
    expect(series).toMatchObject({ metric: 'orders', interval: 'hour' });
    expect(series.points).toHaveLength(24);
  });

  it.each([
    ['summary?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', ['from']],
    ['summary?from=yesterday&to=2025-01-01T00:00:00', ['from', 'to']],
    ['summary?from=2025-02-30T00:00:00Z', ['from']],
    ['summary?from=2020-01-01T00:00:00Z&to=2025-01-01T00:00:00Z', ['to']],
    ['summary?page=2', ['page']],
    ['timeseries', ['metric']],
    ['timeseries?metric=visits&interval=week', ['interval', 'metric']],
    ['timeseries?metric=orders&interval=minute&from=2025-01-01T00:00:00Z&to=2025-01-03T00:00:00Z', ['interval']],
    ['timeseries?metric=orders&currency=EUR', ['currency']],
    ['timeseries?metric=revenue&currency=euro', ['currency']],
  ])('refuses %s with a 400 listing %j', async (path, fields) => {
    const res = await get(`/api/analytics/${path}`, admin);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect([...new Set(res.json().errors.map((e: { field: string }) => e.field))].sort()).toEqual(fields);
  });

  it('documents both routes with their response, 400, 401, 403 and 503', async () => {
    const doc = (await managementServer(app).inject({ method: 'GET', url: '/docs-json' })).json();
    for (const path of ['/api/analytics/summary', '/api/analytics/timeseries']) {
      const op = doc.paths[path].get;
      expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '503']);
      expect(op.responses['200'].content['application/json'].schema.$ref).toMatch(/View$/);
      expect(op.security).toEqual([{ bearer: [] }]);
    }
  });
});
