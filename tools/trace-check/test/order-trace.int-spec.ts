import { randomUUID } from 'node:crypto';
import { bearerFor, Platform, waitFor } from '@ecom/testing';
import { OtlpCollector, type CollectedSpan } from '../src/otlp-collector';

// one order, one trace: the services run from their production builds and export their spans over
// OTLP (configuration only) to a collector in this test, which then follows the parent links from
// the HTTP request through the outbox, kafka and every service the saga passes.

const BASE_PORT = 4400;
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

const run = randomUUID().slice(0, 8);
let collector: OtlpCollector;
let platform: Platform;

/** whether a span of the store (db.system.name) ran inside the given span */
const queried = (spans: readonly CollectedSpan[], parent: CollectedSpan, store: string) =>
  spans.some((s) => s.parentSpanId === parent.spanId && s.attributes['db.system.name'] === store);

/** the span of a service with that name whose parent is the given span */
function childOf(spans: readonly CollectedSpan[], parent: CollectedSpan, service: string, name: string, kind: number): CollectedSpan {
  const found = spans.find((s) => s.parentSpanId === parent.spanId && s.service === service && s.name === name && s.kind === kind);
  if (!found) {
    const children = spans.filter((s) => s.parentSpanId === parent.spanId).map((s) => `${s.service}: ${s.name} (kind ${s.kind})`);
    throw new Error(`no ${service} span "${name}" under ${parent.service}: ${parent.name}; its children: ${children.join(', ') || 'none'}`);
  }
  return found;
}

describe('an order traced from the HTTP request through the saga', () => {
  beforeAll(async () => {
    collector = await OtlpCollector.start();
    platform = new Platform(BASE_PORT, {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // export within a fraction of a second, not the default 5 s
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
    await platform.start();
  });

  afterAll(async () => {
    await platform?.stop();
    await collector?.stop();
  });

  it('links HTTP → PG outbox → Kafka → product-service → stock.reserved → order-service → notification and analytics', async () => {
    const admin = await bearerFor('admin', `trace-admin-${run}`);
    const customer = await bearerFor('customer', `trace-customer-${run}`);
    const created = await fetch(`${platform.url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: admin },
      body: JSON.stringify({
        sku: `TRACE-${run}`.toUpperCase(),
        name: 'Traced tea',
        description: 'for the trace test',
        price: { amount: 250, currency: 'EUR' },
        stock: 5,
        category: `trace-${run}`,
        tags: ['trace'],
      }),
    });
    expect(created.status).toBe(201);
    const product = (await created.json()) as { id: string };

    const placed = await fetch(`${platform.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: customer, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ items: [{ productId: product.id, quantity: 2 }] }),
    });
    expect(placed.status).toBe(202);
    const order = (await placed.json()) as { id: string };

    // the request's span: the root of the order's trace
    const root = await waitFor('the order request span', () =>
      collector.spans.find((s) => s.service === 'order-service' && s.kind === SERVER && s.name === 'POST /api/orders'),
    );
    const trace = () => collector.spans.filter((s) => s.traceId === root.traceId);
    // the last hops: both consumers of order.confirmed exported their spans, and every span's parent has
    // arrived too. each service exports in batches of its own, so a consumer's span can come before the
    // producer span it points at (order-service's "publish order.confirmed" ends when kafka acknowledges)
    await waitFor('notification and analytics to handle order.confirmed, and every parent span to arrive', () => {
      const spans = trace();
      const ids = new Set(spans.map((s) => s.spanId));
      return (
        ['notification-service', 'analytics-service'].every((service) =>
          spans.some((s) => s.service === service && s.kind === CONSUMER && s.name === 'process order.confirmed'),
        ) && spans.every((s) => s.parentSpanId === '' || ids.has(s.parentSpanId))
      );
    });
    const spans = trace();

    expect(root.parentSpanId).toBe('');
    expect(root.attributes['http.route']).toBe('/api/orders');
    // the order, its lines and its outbox row: one statement on postgres, inside the request
    expect(queried(spans, root, 'postgresql')).toBe(true);

    const placedOut = childOf(spans, root, 'order-service', 'publish order.placed', PRODUCER);
    const reserving = childOf(spans, placedOut, 'product-service', 'process order.placed', CONSUMER);
    expect(reserving.attributes['messaging.consumer.group.name']).toBe('product-service');
    expect(queried(spans, reserving, 'mongodb')).toBe(true);
    const reservedOut = childOf(spans, reserving, 'product-service', 'publish stock.reserved', PRODUCER);
    const confirming = childOf(spans, reservedOut, 'order-service', 'process stock.reserved', CONSUMER);
    const confirmedOut = childOf(spans, confirming, 'order-service', 'publish order.confirmed', PRODUCER);
    expect(queried(spans, confirming, 'postgresql')).toBe(true);
    const notifying = childOf(spans, confirmedOut, 'notification-service', 'process order.confirmed', CONSUMER);
    expect(queried(spans, notifying, 'redis')).toBe(true);
    const recording = childOf(spans, confirmedOut, 'analytics-service', 'process order.confirmed', CONSUMER);
    expect(queried(spans, recording, 'cassandra')).toBe(true);
    // one trace: no span of it came from anywhere else
    expect(spans.filter((s) => s.parentSpanId === '')).toEqual([root]);

    // and the order is what the trace says it is
    const read = await fetch(`${platform.url}/api/orders/${order.id}`, { headers: { authorization: customer } });
    expect(((await read.json()) as { status: string }).status).toBe('CONFIRMED');
  });
});
