import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { createEnvelope, Topics, type EventsMap } from '@ecom/events';
import { EventProducer, KAFKA } from '@ecom/kafka';
import { bearerFor, TopicTap, waitFor } from '@ecom/testing';
import { collectionToken } from '@ecom/store-mongo';
import type { Collection } from 'mongodb';
import { PRODUCTS, type ProductDocument } from '../src/app/catalog/product.schema';
import { productService } from '../src/app/product.service';
import { ReservationsRepository } from '../src/app/stock/reservations.repository';
import { StockReservationsService } from '../src/app/stock/stock-reservations.service';

// the saga's product side on the real stores: order events in, stock events out

describe('product-service stock reservations (real mongodb, kafka)', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let tap: TopicTap;
  const run = randomUUID().slice(0, 8);

  const createProduct = async (sku: string, stock: number, amount = 1250): Promise<string> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/products',
      headers: { authorization: admin },
      payload: {
        sku: `${sku}-${run}`,
        name: `Tea ${sku}`,
        description: '',
        price: { amount, currency: 'EUR' },
        stock,
        category: `stock-${run}`,
        tags: [],
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  };
  const stockOf = async (id: string): Promise<number> => (await app.inject({ method: 'GET', url: `/api/products/${id}` })).json().stock;
  const publish = async <T extends typeof Topics.OrderPlaced | typeof Topics.OrderCancelled>(
    topic: T,
    payload: EventsMap[T],
    times = 1,
  ) => {
    const envelope = createEnvelope(topic, payload, { key: payload.orderId });
    for (let i = 0; i < times; i++) await app.get(EventProducer).sendBatch([{ topic, envelope }]);
  };
  const place = (orderId: string, lines: { productId: string; quantity: number }[], times = 1) =>
    publish(Topics.OrderPlaced, { orderId, userId: `u-${run}`, lines }, times);
  const cancel = (orderId: string, times = 1) => publish(Topics.OrderCancelled, { orderId, userId: `u-${run}` }, times);
  const payloadOf = async (topic: string, orderId: string) => (await tap.next(topic, orderId)).envelope.payload;
  const settled = (orderId: string) =>
    waitFor(`reservation ${orderId} to settle`, async () => {
      const r = await app.get(ReservationsRepository).find(orderId);
      return r && ['reserved', 'rejected', 'released'].includes(r.state) && r;
    });

  /**
   * proves the consumer is past everything sent so far on `topic` with `key`: an event about a fresh
   * order, sent with the same kafka key (so on the same partition, behind them), settled. what the
   * earlier messages did, or didn't do, is done by then; no sleep needed.
   */
  const passedOn = async (topic: typeof Topics.OrderPlaced | typeof Topics.OrderCancelled, key: string) => {
    const marker = `o-marker-${randomUUID()}`;
    const producer = app.get(EventProducer);
    if (topic === Topics.OrderPlaced) {
      const payload = { orderId: marker, userId: `u-${run}`, lines: [{ productId: `no-such-${run}`, quantity: 1 }] };
      await producer.sendBatch([{ topic, envelope: createEnvelope(Topics.OrderPlaced, payload, { key }) }]);
    } else {
      await producer.sendBatch([
        { topic, envelope: createEnvelope(Topics.OrderCancelled, { orderId: marker, userId: `u-${run}` }, { key }) },
      ]);
    }
    await settled(marker);
  };

  beforeAll(async () => {
    app = await createServiceApp(productService);
    admin = await bearerFor('admin');
    tap = await TopicTap.start(app.get<Kafka>(KAFKA), [
      Topics.StockReserved,
      Topics.StockRejected,
      Topics.StockReleased,
      Topics.ProductUpserted,
    ]);
  });

  afterAll(async () => {
    await tap?.stop();
    await app?.close();
  });

  it('reserves every item at the catalog price and publishes stock.reserved with the total', async () => {
    const [a, b] = [await createProduct('a', 5, 1250), await createProduct('b', 3, 300)];
    const orderId = `o-${randomUUID()}`;
    await place(orderId, [
      { productId: a, quantity: 1 },
      { productId: b, quantity: 1 },
      { productId: a, quantity: 1 },
    ]);
    expect(await payloadOf(Topics.StockReserved, orderId)).toMatchObject({
      orderId,
      total: { amount: 2 * 1250 + 300, currency: 'EUR' },
      lines: [{ productId: [a, b].sort()[0] }, { productId: [a, b].sort()[1] }],
    });
    expect(await stockOf(a)).toBe(3);
    expect(await stockOf(b)).toBe(2);
  });

  it('moves stock once when the same order arrives three times', async () => {
    const a = await createProduct('dup', 5);
    const orderId = `o-${randomUUID()}`;
    await place(orderId, [{ productId: a, quantity: 2 }], 3);
    await place(orderId, [{ productId: a, quantity: 2 }]);
    expect((await settled(orderId)).state).toBe('reserved');
    await payloadOf(Topics.StockReserved, orderId);
    expect(await stockOf(a)).toBe(3);
  });

  it('rejects with a reason and takes nothing when one item is short', async () => {
    const [a, c] = [await createProduct('ok', 5), await createProduct('short', 1)];
    const orderId = `o-${randomUUID()}`;
    await place(orderId, [
      { productId: a, quantity: 1 },
      { productId: c, quantity: 2 },
    ]);
    expect((await payloadOf(Topics.StockRejected, orderId)).reason).toBe(`insufficient stock for short-${run}: requested 2, available 1`);
    expect(await stockOf(a)).toBe(5);
    expect(await stockOf(c)).toBe(1);
  });

  it('rejects an unknown product', async () => {
    const orderId = `o-${randomUUID()}`;
    await place(orderId, [{ productId: 'no-such-product', quantity: 1 }]);
    expect((await payloadOf(Topics.StockRejected, orderId)).reason).toBe('product no-such-product does not exist');
  });

  it('never oversells: 30 racing orders of 1 against stock 10 give 10 reservations and 20 rejections', async () => {
    const p = await createProduct('race', 10);
    const orders = Array.from({ length: 30 }, () => `o-${randomUUID()}`);
    await Promise.all(orders.map((orderId) => place(orderId, [{ productId: p, quantity: 1 }])));
    const states = await Promise.all(orders.map(async (o) => (await settled(o)).state));
    expect(states.filter((s) => s === 'reserved')).toHaveLength(10);
    expect(states.filter((s) => s === 'rejected')).toHaveLength(20);
    expect(await stockOf(p)).toBe(0);
    // every order got exactly one answer on the wire
    await waitFor('an answer for every order', () =>
      orders.every((o) => tap.seen(Topics.StockReserved, o).length + tap.seen(Topics.StockRejected, o).length === 1),
    );
    // the product's outbox drains, though the orders wrote to it while the relay cleared it: every
    // version's product.upserted is on the wire (1 created, then one per write that took stock: the
    // orders that queued up together take in one), and nothing is left
    const products = app.get<Collection<ProductDocument>>(collectionToken(PRODUCTS.name));
    const drained = await waitFor('the outbox to drain', async () => {
      const doc = await products.findOne({ _id: p });
      return doc?.outbox.length === 0 && doc.outboxPending === false && doc;
    });
    const versions = Array.from({ length: drained.version }, (_, i) => i + 1);
    await waitFor('every version on the wire', () =>
      versions.every((v) => tap.seen(Topics.ProductUpserted, p).some((m) => m.envelope.payload.version === v)),
    );
    expect(new Set(tap.seen(Topics.ProductUpserted, p).map((m) => m.envelope.payload.version))).toEqual(new Set(versions));
  });

  it('takes for the orders that queued up together in one write per product, as if they came one by one', async () => {
    const [a, b] = [await createProduct('batch-a', 3, 500), await createProduct('batch-b', 10, 200)];
    const stock = app.get(StockReservationsService);
    const order = (orderId: string, ...lines: [string, number][]) =>
      createEnvelope(
        Topics.OrderPlaced,
        { orderId, userId: `u-${run}`, lines: lines.map(([productId, quantity]) => ({ productId, quantity })) },
        { key: orderId },
      );
    // an earlier delivery took for this order already, on its own
    const early = order(`o-${randomUUID()}`, [a, 1]);
    await stock.reserveAll([early]);
    const [both, short, onlyB, last] = Array.from({ length: 4 }, () => `o-${randomUUID()}`);
    await stock.reserveAll([
      early, // redelivered: its item is held already and moves no more
      order(both, [a, 1], [b, 2]),
      order(short, [a, 2]), // one unit of a is left for it
      order(onlyB, [b, 1]),
      order(both, [a, 1], [b, 2]), // the same order twice in one batch
      order(last, [a, 1]), // the last unit, which the short order before it left
    ]);
    const states = Object.fromEntries(
      await Promise.all([early.payload.orderId, both, short, onlyB, last].map(async (o) => [o, (await settled(o)).state])),
    );
    expect(states).toEqual({
      [early.payload.orderId]: 'reserved',
      [both]: 'reserved',
      [short]: 'rejected',
      [onlyB]: 'reserved',
      [last]: 'reserved',
    });
    const products = app.get<Collection<ProductDocument>>(collectionToken(PRODUCTS.name));
    const [pa, pb] = await Promise.all([a, b].map((id) => products.findOne({ _id: id })));
    // created, taken by the early order, taken once for the batch's three; b: created, taken once for two
    expect({ a: [pa?.stock, pa?.version], b: [pb?.stock, pb?.version] }).toEqual({ a: [0, 3], b: [7, 2] });
    expect(await payloadOf(Topics.StockReserved, both)).toMatchObject({ total: { amount: 500 + 2 * 200, currency: 'EUR' } });
    expect(await payloadOf(Topics.StockRejected, short)).toMatchObject({ reason: expect.stringContaining('insufficient stock') });
    for (const o of [onlyB, last]) expect(await payloadOf(Topics.StockReserved, o)).toMatchObject({ orderId: o });
  });

  it('tells search of a stock move only when search would show it: not while plenty stays plenty', async () => {
    const p = await createProduct('plenty', 1_000);
    const orderId = `o-${randomUUID()}`;
    await place(orderId, [{ productId: p, quantity: 1 }]);
    await payloadOf(Topics.StockReserved, orderId);
    expect(await stockOf(p)).toBe(999);
    // a catalog edit after the move publishes version 3; the product's events leave in order, so
    // once it is on the wire, version 2 (the move) would be too, had it been published
    const edit = await app.inject({
      method: 'PATCH',
      url: `/api/products/${p}`,
      headers: { authorization: admin },
      payload: { name: 'Tea' },
    });
    expect(edit.statusCode).toBe(200);
    const upserted = await waitFor('the edit on the wire', () => {
      const seen = tap.seen(Topics.ProductUpserted, p).map((m) => m.envelope.payload);
      return seen.some((e) => e.version === 3) && seen;
    });
    expect(upserted.map((e) => [e.version, e.stock])).toEqual([
      [1, 1_000],
      [3, 999],
    ]);
  });

  it('puts the stock back once when the order is cancelled, however often the cancel arrives', async () => {
    const a = await createProduct('cancel', 4);
    const orderId = `o-${randomUUID()}`;
    await place(orderId, [{ productId: a, quantity: 3 }]);
    await payloadOf(Topics.StockReserved, orderId);
    expect(await stockOf(a)).toBe(1);
    await cancel(orderId, 3);
    expect(await payloadOf(Topics.StockReleased, orderId)).toEqual({ orderId });
    expect((await settled(orderId)).state).toBe('released');
    await waitFor('the stock to come back', async () => (await stockOf(a)) === 4);
    await cancel(orderId);
    await passedOn(Topics.OrderCancelled, orderId);
    expect(await stockOf(a)).toBe(4);
    expect(tap.seen(Topics.StockReleased, orderId)).toHaveLength(1);
  });

  it("drops a settled order's stock markers, also when its cancel follows at once", async () => {
    const a = await createProduct('markers', 4);
    const products = app.get<Collection<ProductDocument>>(collectionToken(PRODUCTS.name));
    const markers = async () => (await products.findOne({ _id: a }, { projection: { stockOps: 1 } }))?.stockOps;
    const kept = `o-${randomUUID()}`;
    await place(kept, [{ productId: a, quantity: 1 }]);
    await payloadOf(Topics.StockReserved, kept);
    await waitFor("the reserved order's marker to go", async () => (await markers())?.length === 0);
    // the cancel lands while the reservation's markers may still wait to be dropped
    const dropped = `o-${randomUUID()}`;
    await place(dropped, [{ productId: a, quantity: 2 }]);
    await cancel(dropped);
    // the two events are on different topics: the reservation may show 'reserved' before the cancel is applied
    await payloadOf(Topics.StockReleased, dropped);
    expect((await settled(dropped)).state).toBe('released');
    await waitFor("the released order's markers to go", async () => (await markers())?.length === 0);
    expect(await stockOf(a)).toBe(3);
  });

  it('takes nothing for an order whose cancel arrived first', async () => {
    const a = await createProduct('late', 4);
    const orderId = `o-${randomUUID()}`;
    await cancel(orderId);
    await payloadOf(Topics.StockReleased, orderId);
    await place(orderId, [{ productId: a, quantity: 2 }]);
    expect((await settled(orderId)).state).toBe('released');
    await passedOn(Topics.OrderPlaced, orderId);
    expect(await stockOf(a)).toBe(4);
  });
});
