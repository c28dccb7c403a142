import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createServiceApp } from '@ecom/bootstrap';
import { createEnvelope, deadLetterTopic, Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { DLT_HEADERS, EventProducer, KAFKA } from '@ecom/kafka';
import { bearerFor, TopicTap, waitFor } from '@ecom/testing';
import { orderService } from '../src/app/order.service';

// the order side of the saga on real postgres and kafka; the catalog's answers are produced here

describe('order-service (real postgres, kafka)', () => {
  let app: NestFastifyApplication;
  let tap: TopicTap;
  const run = randomUUID().slice(0, 8);
  const alice = `alice-${run}`;
  const bob = `bob-${run}`;
  const tokens: Record<string, string> = {};

  const call = (method: 'GET' | 'POST', url: string, who?: string, payload?: object, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload, headers: { ...headers, ...(who && { authorization: tokens[who] }) } });
  const place = (who: string, items: object[], key?: string) =>
    call('POST', '/api/orders', who, { items }, key ? { 'idempotency-key': key } : {});
  const send = async <T extends typeof Topics.StockReserved | typeof Topics.StockRejected>(
    topic: T,
    envelope: EventEnvelope<EventsMap[T]>,
  ) => app.get(EventProducer).sendBatch([{ topic, envelope }]);
  const reserved = (orderId: string) =>
    createEnvelope(
      Topics.StockReserved,
      {
        orderId,
        lines: [
          { productId: 'p-1', sku: 'TEA-1', name: 'Green tea', quantity: 2, unitPrice: { amount: 1250, currency: 'EUR' } },
          { productId: 'p-2', sku: 'TEA-2', name: 'Black tea', quantity: 1, unitPrice: { amount: 300, currency: 'EUR' } },
        ],
        total: { amount: 2800, currency: 'EUR' },
      },
      { key: orderId },
    );
  /**
   * proves the consumer is past everything sent so far on `topic` with `key`: an answer for a fresh
   * PENDING order, sent with the same kafka key (so on the same partition, behind them), then awaited.
   * what the earlier messages did, or didn't do, is done by then; no sleep needed.
   */
  const passedOn = async (topic: typeof Topics.StockReserved | typeof Topics.StockRejected, key: string) => {
    const marker: string = (
      await place(alice, [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 1 },
      ])
    ).json().id;
    if (topic === Topics.StockReserved) await send(Topics.StockReserved, { ...reserved(marker), key });
    else await send(Topics.StockRejected, createEnvelope(Topics.StockRejected, { orderId: marker, reason: 'marker' }, { key }));
    await tap.next(topic === Topics.StockReserved ? Topics.OrderConfirmed : Topics.OrderRejected, marker);
  };
  const statusOf = (id: string, status: string) =>
    waitFor(`order ${id} to be ${status}`, async () => {
      const o = (await call('GET', `/api/orders/${id}`, 'admin')).json();
      return o.status === status && o;
    });

  beforeAll(async () => {
    app = await createServiceApp(orderService);
    tokens[alice] = await bearerFor('customer', alice);
    tokens[bob] = await bearerFor('customer', bob);
    tokens.admin = await bearerFor('admin', `admin-${run}`);
    tap = await TopicTap.start(app.get<Kafka>(KAFKA), [
      Topics.OrderPlaced,
      Topics.OrderConfirmed,
      Topics.OrderRejected,
      Topics.OrderCancelled,
      deadLetterTopic(Topics.StockReserved),
    ]);
  });

  afterAll(async () => {
    await tap?.stop();
    await app?.close();
  });

  it('refuses anonymous orders with 401 and bad items with 400 naming each field', async () => {
    expect((await call('POST', '/api/orders', undefined, { items: [{ productId: 'p', quantity: 1 }] })).statusCode).toBe(401);
    const res = await place(alice, [
      { productId: '', quantity: 0 },
      { productId: 'p', quantity: 1.5 },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['items.0.productId', 'items.0.quantity', 'items.1.quantity']);
    expect((await place(alice, [])).statusCode).toBe(400);
    expect((await call('POST', '/api/orders', alice, { items: 'x' })).statusCode).toBe(400);
  });

  it('accepts an order as PENDING and publishes order.placed with the lines merged per product', async () => {
    const res = await place(alice, [
      { productId: 'p-1', quantity: 1 },
      { productId: 'p-2', quantity: 1 },
      { productId: 'p-1', quantity: 1 },
    ]);
    expect(res.statusCode).toBe(202);
    const order = res.json();
    expect(order).toMatchObject({
      status: 'PENDING',
      userId: alice,
      total: null,
      items: [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 1 },
      ],
    });
    expect((await tap.next(Topics.OrderPlaced, order.id)).envelope.payload).toEqual({
      orderId: order.id,
      userId: alice,
      lines: [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 1 },
      ],
    });
  });

  it('shows an order to its owner and admins only; anyone else gets 404', async () => {
    const { id } = (await place(alice, [{ productId: 'p-1', quantity: 1 }])).json();
    expect((await call('GET', `/api/orders/${id}`, alice)).statusCode).toBe(200);
    expect((await call('GET', `/api/orders/${id}`, 'admin')).statusCode).toBe(200);
    expect((await call('GET', `/api/orders/${id}`, bob)).statusCode).toBe(404);
    expect((await call('GET', `/api/orders/${id}`)).statusCode).toBe(401);
    expect((await call('GET', '/api/orders/not-a-uuid', alice)).statusCode).toBe(404);
  });

  it('confirms on stock.reserved with the catalog prices, once however often it arrives', async () => {
    const { id } = (
      await place(alice, [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 1 },
      ])
    ).json();
    const answer = reserved(id);
    await send(Topics.StockReserved, answer);
    await send(Topics.StockReserved, answer);
    const order = await statusOf(id, 'CONFIRMED');
    expect(order.total).toEqual({ amount: 2800, currency: 'EUR' });
    expect(order.items[0]).toEqual({
      productId: 'p-1',
      quantity: 2,
      sku: 'TEA-1',
      name: 'Green tea',
      unitPrice: { amount: 1250, currency: 'EUR' },
    });
    expect((await tap.next(Topics.OrderConfirmed, id)).envelope.payload).toMatchObject({
      orderId: id,
      userId: alice,
      total: { amount: 2800 },
    });
    await passedOn(Topics.StockReserved, id);
    expect(tap.seen(Topics.OrderConfirmed, id)).toHaveLength(1);
  });

  it('rejects on stock.rejected, keeping the reason', async () => {
    const { id } = (await place(alice, [{ productId: 'p-1', quantity: 99 }])).json();
    await send(
      Topics.StockRejected,
      createEnvelope(Topics.StockRejected, { orderId: id, reason: 'insufficient stock for TEA-1: requested 99, available 3' }, { key: id }),
    );
    expect((await statusOf(id, 'REJECTED')).reason).toBe('insufficient stock for TEA-1: requested 99, available 3');
    expect((await tap.next(Topics.OrderRejected, id)).envelope.payload).toMatchObject({
      userId: alice,
      reason: expect.stringContaining('insufficient'),
    });
  });

  it('cancels a confirmed order with order.cancelled, and answers 409 to an illegal move', async () => {
    const { id } = (
      await place(alice, [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 1 },
      ])
    ).json();
    await send(Topics.StockReserved, reserved(id));
    await statusOf(id, 'CONFIRMED');
    expect((await call('POST', `/api/orders/${id}/cancel`, bob)).statusCode).toBe(404);
    const res = await call('POST', `/api/orders/${id}/cancel`, alice);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('CANCELLED');
    expect((await tap.next(Topics.OrderCancelled, id)).envelope.payload).toEqual({ orderId: id, userId: alice });
    const again = await call('POST', `/api/orders/${id}/cancel`, alice);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('an order that is CANCELLED cannot be cancelled');
  });

  it('leaves a cancelled order cancelled when the stock answer comes late', async () => {
    const { id } = (await place(alice, [{ productId: 'p-1', quantity: 1 }])).json();
    expect((await call('POST', `/api/orders/${id}/cancel`, alice)).json().status).toBe('CANCELLED');
    const late = reserved(id);
    await send(Topics.StockReserved, late);
    await send(Topics.StockRejected, createEnvelope(Topics.StockRejected, { orderId: id, reason: 'x' }, { key: id }));
    await passedOn(Topics.StockReserved, id);
    await passedOn(Topics.StockRejected, id);
    expect((await call('GET', `/api/orders/${id}`, alice)).json().status).toBe('CANCELLED');
    expect(tap.seen(Topics.OrderConfirmed, id)).toHaveLength(0);
  });

  it('creates one order per Idempotency-Key, even for racing requests, and 422s a different body', async () => {
    const key = randomUUID();
    const items = [{ productId: 'p-1', quantity: 1 }];
    const responses = await Promise.all(Array.from({ length: 5 }, () => place(alice, items, key)));
    expect(responses.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    const id = responses[0].json().id;
    const other = await place(alice, [{ productId: 'p-1', quantity: 2 }], key);
    expect(other.statusCode).toBe(422);
    expect(other.json().detail).toMatch(/different request body/);
    // keys belong to their caller: bob's use of the same key is a new order
    expect((await place(bob, items, key)).json().id).not.toBe(id);
    expect((await place(alice, items, 'bad key')).statusCode).toBe(400);
    // the outbox relays in commit order: once a later order's order.placed is out, a second one for id would be too
    const later = (await place(alice, items)).json().id;
    await tap.next(Topics.OrderPlaced, later);
    expect(tap.seen(Topics.OrderPlaced, id)).toHaveLength(1);
  });

  it("lists the caller's own orders newest first, paginated; admins see everyone's", async () => {
    const carol = `carol-${run}`;
    tokens[carol] = await bearerFor('customer', carol);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await place(carol, [{ productId: 'p-1', quantity: 1 }])).json().id);
    const page1 = (await call('GET', '/api/orders?limit=2', carol)).json();
    expect(page1).toMatchObject({ page: 1, limit: 2, total: 3 });
    expect(page1.items.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[1]]);
    expect((await call('GET', '/api/orders?page=2&limit=2', carol)).json().items.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    const all = (await call('GET', '/api/orders?limit=100', 'admin')).json();
    expect(all.total).toBeGreaterThan(3);
    expect((await call('GET', '/api/orders?limit=101', carol)).statusCode).toBe(400);
  });

  it("counts a customer's orders for the list on orders alone, not over the join with every order line", async () => {
    const dave = `dave-${run}`;
    tokens[dave] = await bearerFor('customer', dave);
    const items = [
      { productId: 'p-1', quantity: 1 },
      { productId: 'p-2', quantity: 1 },
    ];
    for (let i = 0; i < 2; i++) await place(dave, items);
    // every statement goes past the logger, whatever it logs
    const logged = jest.spyOn(app.get(DataSource).logger, 'logQuery');
    try {
      // typeorm counts only when the first page is full: one order a page
      expect((await call('GET', '/api/orders?limit=1', dave)).json()).toMatchObject({ total: 2 });
      const counts = logged.mock.calls.map(([sql]) => sql).filter((sql) => /count\(/i.test(sql) && sql.includes('"orders"'));
      expect(counts).toHaveLength(1);
      // joined with the lines, postgres read all of order_lines for any one customer's count
      expect(counts[0]).not.toContain('order_lines');
    } finally {
      logged.mockRestore();
    }
  });

  it("reads a page of a customer's orders off the orders alone, then the lines of that page only", async () => {
    const erin = `erin-${run}`;
    tokens[erin] = await bearerFor('customer', erin);
    const items = [
      { productId: 'p-1', quantity: 1 },
      { productId: 'p-2', quantity: 2 },
    ];
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) placed.push((await place(erin, items)).json().id);
    const logged = jest.spyOn(app.get(DataSource).logger, 'logQuery');
    try {
      const page = (await call('GET', '/api/orders?limit=2&page=2', erin)).json();
      // the oldest of three, with both its lines
      expect(page).toMatchObject({ total: 3, items: [{ id: placed[0], items: [{ productId: 'p-1', quantity: 1 }, { productId: 'p-2', quantity: 2 }] }] });
      const sql = logged.mock.calls.map(([statement]) => statement);
      const paged = sql.filter((s) => /\b(limit|offset)\b/i.test(s));
      expect(paged).toHaveLength(1);
      // with the lines joined, typeorm sorted the distinct ids of the customer's whole join to find a page
      expect(paged[0]).not.toContain('order_lines');
      expect(paged[0]).not.toMatch(/distinct/i);
    } finally {
      logged.mockRestore();
    }
  });

  it('settles answers that arrive together in one go: each order once, each event with its own correlation id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        (
          await place(bob, [
            { productId: 'p-1', quantity: 2 },
            { productId: 'p-2', quantity: 1 },
          ])
        ).json().id,
      );
    const answer = (id: string) => ({ ...reserved(id), correlationId: `corr-${id}`, key: `together-${run}` });
    const [a, b, c, d] = ids.map(answer);
    const ghost = { ...reserved(randomUUID()), key: `together-${run}` };
    // one produce request on one partition (one key): fetched and handled together, a redelivery among them
    await app.get(EventProducer).sendBatch([a, b, a, c].map((envelope) => ({ topic: Topics.StockReserved, envelope })));
    // an answer about an unknown order among good ones: only it is dead-lettered
    await app.get(EventProducer).sendBatch([ghost, d].map((envelope) => ({ topic: Topics.StockReserved, envelope })));
    for (const id of ids) {
      const confirmed = await tap.next(Topics.OrderConfirmed, id);
      expect(confirmed.envelope['correlationId']).toBe(`corr-${id}`);
      expect(confirmed.envelope.payload).toMatchObject({ orderId: id, userId: bob, total: { amount: 2800, currency: 'EUR' } });
      const order = await statusOf(id, 'CONFIRMED');
      expect(order.items.map((l: { sku: string }) => l.sku)).toEqual(['TEA-1', 'TEA-2']);
    }
    const dead = await tap.next(deadLetterTopic(Topics.StockReserved), ghost.key);
    expect(dead.envelope.id).toBe(ghost.id);
    expect(dead.headers[DLT_HEADERS.reason]).toBe('unprocessable');
    await passedOn(Topics.StockReserved, `together-${run}`);
    for (const id of ids) expect(tap.seen(Topics.OrderConfirmed, id)).toHaveLength(1);
  });

  it('dead-letters an answer about an order it never had', async () => {
    const ghost = randomUUID();
    await send(Topics.StockReserved, reserved(ghost));
    const dead = await tap.next(deadLetterTopic(Topics.StockReserved), ghost);
    expect(dead.envelope.payload).toMatchObject({ orderId: ghost });
    expect(dead.headers[DLT_HEADERS.reason]).toBe('unprocessable');
    expect(dead.headers[DLT_HEADERS.error]).toBe(`order ${ghost} does not exist here`);
  });
});
