#!/usr/bin/env node
// the MongoDB-wire server's cost of product-service's side of the saga, without the rest of the
// platform: per order, the commands product-service sends (open the reservation, read the product,
// take its stock, reserve, lease and clear the outbox, drop the stock marker), from <clients>
// connections at once, on collections seeded to <seed> settled reservations, while the relay's
// orphan scan reads both collections every 2 s. prints the orders per second and, when the server's
// pid is given, the CPU it spent per order (/proc/<pid>/stat), so two builds of the server can be
// compared on the same machine:
//   node tools/stack/bench-mongo-saga.mjs [--uri mongodb://127.0.0.1:27017] [--orders 4000] [--clients 8] [--seed 20000] [--warmup 2000] [--pid <pid>]
// works in a database of its own, dropped afterwards.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';

const { values: opts } = parseArgs({
  options: {
    uri: { type: 'string', default: 'mongodb://127.0.0.1:27017' },
    orders: { type: 'string', default: '4000' },
    clients: { type: 'string', default: '8' },
    seed: { type: 'string', default: '20000' },
    products: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '2000' },
    pid: { type: 'string' },
  },
});
const orders = Number(opts.orders);
const clients = Number(opts.clients);
const DB = 'stack_saga_bench';
const TICKS = 100; // USER_HZ

// user + system CPU of a process, in ms
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

const outboxFields = () => ({ outbox: [], outboxPending: false, rev: 0 });
const reservation = (id, state) => {
  const now = new Date();
  return {
    _id: id,
    userId: `user-${id.length % 97}`,
    state,
    lines: [{ productId: 'p-1', quantity: 1 }],
    createdAt: now,
    updatedAt: now,
    ...outboxFields(),
  };
};
const product = (i) => ({
  _id: `p-${i}`,
  sku: `SKU-${String(i).padStart(6, '0')}`,
  name: `Product ${i}`,
  description: 'A product of the saga bench, with a description of a realistic length for a catalog entry.',
  category: 'bench',
  price: { amount: 1999, currency: 'EUR' },
  stock: 1_000_000,
  stockOps: [],
  deletedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...outboxFields(),
});

const conns = await Promise.all(
  Array.from({ length: clients }, () => new MongoClient(opts.uri, { directConnection: true, maxPoolSize: 1 }).connect()),
);
try {
  const db = conns[0].db(DB);
  await db.dropDatabase();
  const seed = Number(opts.seed);
  for (let i = 0; i < seed; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, seed - i) }, (_, k) => reservation(`seed-${i + k}`, 'reserved'));
    await db.collection('stock_reservations').insertMany(batch);
  }
  const productCount = Number(opts.products);
  await db.collection('products').insertMany(Array.from({ length: productCount }, (_, i) => product(i)));

  const lease = () => ({ $set: { outboxLeaseUntil: new Date(Date.now() + 30_000), outboxLeaseBy: 'bench' } });
  const clear = { $set: { outbox: [], outboxPending: false }, $unset: { outboxLeaseUntil: 1, outboxLeaseBy: 1 }, $inc: { rev: 1 } };
  // one order, as product-service's reserve() and its relay send it
  async function order(c, n) {
    const reservations = c.db(DB).collection('stock_reservations');
    const products = c.db(DB).collection('products');
    const id = `order-${n}`;
    const productId = `p-${n % productCount}`;
    await reservations.insertOne(reservation(id, 'reserving'));
    const p = await products.findOne({ _id: productId, deletedAt: null });
    await products.updateOne(
      { _id: productId, stock: { $gte: 1 }, stockOps: { $ne: `taken:${id}` } },
      { $inc: { stock: -1, rev: 1 }, $push: { stockOps: `taken:${id}` }, $set: { updatedAt: new Date() } },
    );
    const event = {
      id: `e-${n}`,
      envelope: {
        topic: 'stock.reserved',
        occurredAt: new Date().toISOString(),
        payload: { orderId: id, lines: [{ productId, sku: p.sku, quantity: 1 }] },
      },
    };
    await reservations.updateOne(
      { _id: id, state: 'reserving' },
      { $set: { state: 'reserved', updatedAt: new Date(), outboxPending: true }, $push: { outbox: event }, $inc: { rev: 1 } },
    );
    await reservations.findOneAndUpdate({ _id: id, outboxPending: true }, lease(), { projection: { outbox: 1 } });
    await reservations.updateOne({ _id: id, outbox: { $size: 1 }, 'outbox.id': { $all: [event.id] } }, clear);
    await products.updateOne({ _id: productId }, { $pull: { stockOps: `taken:${id}` } });
  }

  const pid = opts.pid ? Number(opts.pid) : undefined;
  // warm up the server's code paths (its JIT compilers), then measure
  let next = 0;
  const run = async (until) =>
    Promise.all(
      conns.map(async (c) => {
        for (let n = next++; n < until; n = next++) await order(c, n);
      }),
    );
  // the relay's scan for pending documents nobody announced (MongoOutboxRelay.lease)
  let scanning = true;
  const scans = (async () => {
    while (scanning) {
      const free = {
        outboxPending: true,
        $or: [{ outboxLeaseUntil: { $exists: false } }, { outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: new Date() } }],
      };
      for (const name of ['products', 'stock_reservations'])
        await db
          .collection(name)
          .find(free, { projection: { _id: 1 } })
          .limit(200)
          .toArray();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  await run(Number(opts.warmup));
  const warm = next;
  const cpuBefore = pid ? cpuMs(pid) : 0;
  const started = process.hrtime.bigint();
  await run(warm + orders);
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  scanning = false;
  await scans;
  const cpu = pid ? `, server CPU ${((cpuMs(pid) - cpuBefore) / orders).toFixed(2)} ms per order` : '';
  console.log(
    `${orders} orders (7 commands each) with ${clients} clients in ${secs.toFixed(2)} s: ${Math.round(orders / secs)} orders/s${cpu}`,
  );
  await db.dropDatabase();
} finally {
  await Promise.all(conns.map((c) => c.close()));
}
