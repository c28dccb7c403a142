import { randomUUID } from 'node:crypto';
import { Client as Cassandra } from 'cassandra-driver';
import * as mongo from 'mongodb';
import { Pool } from 'pg';
import { cassandraConfig, elasticsearchConfig, loadConfig, mongodbConfig, postgresConfig, readEnv } from '@ecom/config';
import { indexName } from '@ecom/store-elasticsearch';

// the growth workload's data, written straight into the stores in the shapes the services write
// (an api call per row would take hours at 100×). topped up scale by scale: 10× adds what 1× lacks.

/** what 1× holds, with a stock reservation per order; 10× and 100× multiply every figure */
export const ONE_X = { products: 1_000, orders: 1_000, confirmedPerDay: 1 } as const;

// the analytics years, clear of the saga's orders (today): each scale gets a calendar year of its own
// (2021, 2022, 2023: 365 days, twelve whole months each), written whole before anything reads it.
// topping up a year already summarised would be late facts, which analytics handles by marking days
// dirty (analytics.schema.ts); on-time facts are the case measured
const FIRST_YEAR = 2021;
const DAY_MS = 86_400_000;
const DAYS = 365;

/** whose order list is measured: one order in ten is theirs, so their history grows with the data */
export const HEAVY_CUSTOMER = 'growth-heavy-customer';
const HEAVY_EVERY = 10;

/** the nouns of product names, one product in NOUNS.length each: the words searched for */
export const NOUNS = (
  'kettle lamp chair mug blanket shelf vase bowl stool rug teapot mirror basket cushion clock ladder bench ' +
  'jug tray candle drawer curtain pillow towel apron kettlebell lantern planter skillet whisk colander grater ladle spatula ' +
  'teacup saucer platter pitcher goblet carafe hammock trunk wardrobe dresser sofa ottoman easel globe compass satchel'
).split(' ');
const ADJECTIVES = 'steel oak linen copper glass wool cedar ceramic bamboo marble brass'.split(' ');

// the collections and the index as product-service names them (product.schema.ts, reservation.schema.ts,
// product-search.index.ts); the bench may not import an app
const PRODUCTS = 'products';
const RESERVATIONS = 'stock_reservations';
// the alias readers and writers use: after a rebuild by replay another index is behind it
const SEARCH_INDEX = 'catalog';
// MongoDB stops at 10×. the local MongoDB-wire server inserts about 2,500 documents a second into an
// empty collection and under 500 past 40,000: 100× (200,000 documents) would take minutes, and 30× took
// 45 s to 3 min. (until change 47 it also built no index but _id's and unique ones, so product-service's
// outbox relay read both collections whole every 2 s: a scan of 100,000 documents took 2.2 s, and reads
// by _id waited behind it. it keeps them in memory now, adr 6)
export const MONGO_MAX_FACTOR = 10;
// a command per batch: the server commits and fsyncs per command
const MONGO_BATCH = 1_000;
const ES_BATCH = 2_000;
const PG_BATCH = 5_000;
// cassandra warns above 5 kB per batch: about 20 of the history's rows
const CQL_BATCH = 20;
const CQL_IN_FLIGHT = 8;

export interface Sizes {
  /** products in the search index */
  readonly catalog: number;
  /** products in MongoDB, the first `products` of the catalog */
  readonly products: number;
  readonly orders: number;
  /** reservations in MongoDB, those of the first orders */
  readonly reservations: number;
  /** the heavy customer's orders */
  readonly heavyOrders: number;
  /** confirmed orders in this scale's analytics year */
  readonly analyticsOrders: number;
}

/** product n of the growth catalog: every field but the id follows from n */
function product(n: number, id: string) {
  const noun = NOUNS[n % NOUNS.length];
  const adjective = ADJECTIVES[Math.floor(n / NOUNS.length) % ADJECTIVES.length];
  return {
    id,
    sku: `GROWTH-${n}`,
    name: `${adjective} ${noun} ${n}`,
    description: `a ${adjective} ${noun} of the growth catalog`,
    price: { amount: 100 + ((n * 7_919) % 100_000), currency: 'EUR' },
    stock: 1_000,
    category: `growth-${n % 50}`,
    tags: [adjective, 'growth'],
  };
}
type Product = ReturnType<typeof product>;

interface Order {
  readonly id: string;
  readonly userId: string;
  readonly product: Product;
  readonly quantity: number;
  readonly at: Date;
}

/** a confirmed order of the analytics year, as its two events tell it */
interface AnalyticsOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly product: Product;
  readonly quantity: number;
  readonly placedAt: number;
}

const below = (n: number): number => Math.floor(Math.random() * n);

async function inChunks<T>(items: readonly T[], size: number, inFlight: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const start = next;
      next += size;
      await write(items.slice(start, start + size));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

/**
 * the seeded data of one run, in the run's namespace; the services must be up (they create the
 * tables and the index). a top-up adds what the catalog, the orders and the reservations lack, and a
 * new analytics year
 */
export class GrowthData {
  /** product n's id */
  private readonly ids: string[] = [];
  private inMongo = 0;
  private orders = 0;
  private reserved = 0;
  private heavyOrders = 0;
  private perDay = 0;
  private years = 0;

  private constructor(
    private readonly mongo: mongo.MongoClient,
    private readonly pg: Pool,
    private readonly cassandra: Cassandra,
    readonly esNode: string,
    readonly searchIndex: string,
  ) {}

  static async open(): Promise<GrowthData> {
    const cfg = loadConfig(
      [mongodbConfig('products'), postgresConfig('ecom'), elasticsearchConfig('products'), cassandraConfig('analytics')],
      readEnv(),
    );
    const client = new mongo.MongoClient(cfg.mongodb.uri);
    await client.connect();
    const { host, port, username: user, password, database } = cfg.postgres;
    const cassandra = new Cassandra({
      contactPoints: cfg.cassandra.contactPoints,
      localDataCenter: cfg.cassandra.localDataCenter,
      keyspace: cfg.cassandra.keyspace,
    });
    await cassandra.connect();
    return new GrowthData(
      client,
      new Pool({ host, port, user, password, database, max: 4 }),
      cassandra,
      cfg.elasticsearch.node,
      indexName(cfg.elasticsearch, SEARCH_INDEX),
    );
  }

  private get yearFrom(): number {
    return Date.UTC(FIRST_YEAR + this.years - 1, 0, 1);
  }

  /** the analytics year of the last top-up, [from, to) */
  get year(): { from: string; to: string } {
    return { from: new Date(this.yearFrom).toISOString(), to: new Date(this.yearFrom + DAYS * DAY_MS).toISOString() };
  }

  /** the ids of the products in MongoDB */
  get productIds(): readonly string[] {
    return this.ids.slice(0, this.inMongo);
  }

  get sizes(): Sizes {
    return {
      catalog: this.ids.length,
      products: this.inMongo,
      orders: this.orders,
      reservations: this.reserved,
      heavyOrders: this.heavyOrders,
      analyticsOrders: this.perDay * DAYS,
    };
  }

  /**
   * brings every store up to `factor`× ONE_X, MongoDB up to MONGO_MAX_FACTOR×; resolves with how long
   * each store's part took, in ms (they run side by side)
   */
  async topUp(factor: number): Promise<Record<string, number>> {
    const from = this.ids.length;
    const products = Array.from({ length: factor * ONE_X.products - from }, (_, i) => product(from + i, randomUUID()));
    this.ids.push(...products.map((p) => p.id));
    const orders = Array.from({ length: factor * ONE_X.orders - this.orders }, (_, i) => this.order(this.orders + i));
    this.orders += orders.length;
    this.heavyOrders += orders.filter((o) => o.userId === HEAVY_CUSTOMER).length;
    this.perDay = factor * ONE_X.confirmedPerDay;
    this.years++;
    const analytics = this.analyticsOrders(this.perDay, this.yearFrom);
    // what MongoDB lacks is always the start of what this round adds
    const inMongo = Math.min(factor, MONGO_MAX_FACTOR);
    const toMongo = products.slice(0, inMongo * ONE_X.products - this.inMongo);
    const toReserve = orders.slice(0, inMongo * ONE_X.orders - this.reserved);
    this.inMongo += toMongo.length;
    this.reserved += toReserve.length;
    const [mongoProducts, mongoReservations, elasticsearch, postgres, cassandra] = await Promise.all([
      timed(() => this.mongoProducts(toMongo, from)),
      timed(() => this.mongoReservations(toReserve)),
      timed(() => this.searchIndexed(products)),
      timed(() => this.postgresOrders(orders)),
      timed(() => this.analyticsRows(analytics)),
    ]);
    return { mongoProducts, mongoReservations, elasticsearch, postgres, cassandra };
  }

  // a product seeded so far, at random
  private anyProduct(): Product {
    const n = below(this.ids.length);
    return product(n, this.ids[n]);
  }

  // order k: one line of a product seeded so far, at a time inside the year
  private order(k: number): Order {
    return {
      id: randomUUID(),
      userId: k % HEAVY_EVERY === 0 ? HEAVY_CUSTOMER : `growth-shopper-${k % 997}`,
      product: this.anyProduct(),
      quantity: 1 + (k % 3),
      at: new Date(Date.UTC(FIRST_YEAR, 0, 1) + below(DAYS * DAY_MS)),
    };
  }

  // `perDay` confirmed orders on each day of the year starting at `from`
  private analyticsOrders(perDay: number, from: number): AnalyticsOrder[] {
    return Array.from({ length: DAYS }, (_, day) =>
      Array.from({ length: perDay }, () => {
        // placed inside the day, confirmed a second later, still that day
        const placedAt = from + day * DAY_MS + below(DAY_MS - 60_000);
        return { orderId: randomUUID(), userId: `growth-shopper-${day % 997}`, product: this.anyProduct(), quantity: 1, placedAt };
      }),
    ).flat();
  }

  // product.schema.ts, as ProductsRepository.create writes it (its timestamps, an empty outbox)
  private async mongoProducts(products: readonly Product[], from: number): Promise<void> {
    const collection = this.mongo.db().collection(PRODUCTS);
    const docs = products.map(({ id, ...p }, i) => {
      // created a second apart, in catalog order
      const at = new Date(Date.UTC(FIRST_YEAR, 0, 1) + (from + i) * 1_000);
      return { _id: id as never, ...p, version: 1, stockOps: [], outbox: [], outboxPending: false, rev: 0, createdAt: at, updatedAt: at };
    });
    await inChunks(docs, MONGO_BATCH, 1, (chunk) => collection.insertMany(chunk, { ordered: false }));
  }

  // reservation.schema.ts: one per order, settled (reserved), its lines filled from the catalog
  private async mongoReservations(orders: readonly Order[]): Promise<void> {
    const collection = this.mongo.db().collection(RESERVATIONS);
    const docs = orders.map(({ id, userId, product: p, quantity, at }) => ({
      _id: id as never,
      userId,
      state: 'reserved',
      lines: [{ productId: p.id, quantity, sku: p.sku, name: p.name, unitPrice: p.price }],
      outbox: [],
      outboxPending: false,
      rev: 0,
      createdAt: at,
      updatedAt: at,
    }));
    await inChunks(docs, MONGO_BATCH, 1, (chunk) => collection.insertMany(chunk, { ordered: false }));
  }

  // the search index's documents as ProductIndexMessageController writes them: product.upserted's
  // payload with the event's time, under the product's version (external versioning)
  private async searchIndexed(products: readonly Product[]): Promise<void> {
    const updatedAt = new Date().toISOString();
    await inChunks(products, ES_BATCH, 2, async (chunk) => {
      const body = chunk.flatMap(({ id, ...p }) => [
        JSON.stringify({ index: { _index: this.searchIndex, _id: id, version: 1, version_type: 'external' } }),
        JSON.stringify({ productId: id, ...p, version: 1, updatedAt }),
      ]);
      const res = await fetch(`${this.esNode}/_bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: `${body.join('\n')}\n`,
      });
      const answer = (await res.json()) as { errors?: boolean; items?: { index: { error?: unknown } }[] };
      if (!res.ok || answer.errors)
        throw new Error(`bulk indexing failed: ${JSON.stringify(answer.items?.find((i) => i.index.error) ?? answer).slice(0, 300)}`);
    });
    await fetch(`${this.esNode}/${this.searchIndex}/_refresh`, { method: 'POST' });
    // and the merges the bulk set off: an index that grew over months is not in the middle of them
    for (const until = performance.now() + 60_000; performance.now() < until; await new Promise((r) => setTimeout(r, 500))) {
      const stats = (await (await fetch(`${this.esNode}/${this.searchIndex}/_stats/merge`)).json()) as {
        _all: { primaries: { merges: { current: number } } };
      };
      if (stats._all.primaries.merges.current === 0) break;
    }
  }

  // order-service's tables (migrations/1763800000000-orders.ts): confirmed orders with their priced line
  private async postgresOrders(orders: readonly Order[]): Promise<void> {
    await inChunks(orders, PG_BATCH, 1, async (chunk) => {
      const prices = chunk.map((o) => o.product.price.amount);
      await this.pg.query(
        `insert into orders (id, user_id, status, total_amount, currency, created_at, updated_at)
         select id, user_id, 'CONFIRMED', total, 'EUR', at, at from unnest($1::uuid[], $2::text[], $3::bigint[], $4::timestamptz[]) as t(id, user_id, total, at)`,
        [chunk.map((o) => o.id), chunk.map((o) => o.userId), chunk.map((o, i) => prices[i] * o.quantity), chunk.map((o) => o.at)],
      );
      await this.pg.query(
        `insert into order_lines (order_id, line_no, product_id, quantity, sku, name, unit_price_amount)
         select order_id, 1, product_id, quantity, sku, name, price from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[])
           as t(order_id, product_id, quantity, sku, name, price)`,
        [
          chunk.map((o) => o.id),
          chunk.map((o) => o.product.id),
          chunk.map((o) => o.quantity),
          chunk.map((o) => o.product.sku),
          chunk.map((o) => o.product.name),
          prices,
        ],
      );
    });
    // a bulk load outruns autovacuum: measure a database that grew to this size, as it would be. it would be
    // analyzed (its plans), and vacuumed by the insert threshold (PostgreSQL 13+), its visibility map set, so
    // counting one customer's orders is an index-only scan and not a visit to each of their rows
    await this.pg.query('vacuum analyze orders, order_lines');
  }

  // analytics.schema.ts, the rows FactsRepository.record writes for each order's order.placed and
  // order.confirmed events; unlogged batches of one partition each, the cheapest way in
  private async analyticsRows(orders: readonly AnalyticsOrder[]): Promise<void> {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const minute = (ms: number) => new Date(ms - (ms % 60_000));
    const partitions = new Map<string, { query: string; params: unknown[] }[]>();
    const add = (partition: string, query: string, params: unknown[]) => {
      const rows = partitions.get(partition) ?? [];
      rows.push({ query, params });
      partitions.set(partition, rows);
    };
    const history = 'insert into events_by_day (event_type, day, occurred_at, event_id, correlation_id, payload) values (?, ?, ?, ?, ?, ?)';
    const series = 'insert into series_facts (series, day, bucket_minute, event_id, value) values (?, ?, ?, ?, ?)';
    const sales = 'insert into product_sales_by_day (day, product_id, bucket_minute, event_id, quantity) values (?, ?, ?, ?, ?)';
    for (const o of orders) {
      const confirmedAt = o.placedAt + 1_000;
      const d = day(o.placedAt);
      const placedId = randomUUID();
      const confirmedId = randomUUID();
      const unitPrice = o.product.price;
      const total = { amount: unitPrice.amount * o.quantity, currency: unitPrice.currency };
      const line = { productId: o.product.id, quantity: o.quantity };
      add(`placed ${d}`, history, [
        'order.placed',
        d,
        new Date(o.placedAt),
        placedId,
        o.orderId,
        JSON.stringify({ orderId: o.orderId, userId: o.userId, lines: [line] }),
      ]);
      add(`orders.placed ${d}`, series, ['orders.placed', d, minute(o.placedAt), placedId, 1]);
      add(`confirmed ${d}`, history, [
        'order.confirmed',
        d,
        new Date(confirmedAt),
        confirmedId,
        o.orderId,
        JSON.stringify({ orderId: o.orderId, userId: o.userId, lines: [{ ...line, unitPrice }], total }),
      ]);
      add(`orders.confirmed ${d}`, series, ['orders.confirmed', d, minute(confirmedAt), confirmedId, 1]);
      add(`revenue.EUR ${d}`, series, [`revenue.${total.currency}`, d, minute(confirmedAt), confirmedId, total.amount]);
      add(`sales ${d}`, sales, [d, o.product.id, minute(confirmedAt), confirmedId, o.quantity]);
    }
    const batches = [...partitions.values()].flatMap((rows) =>
      Array.from({ length: Math.ceil(rows.length / CQL_BATCH) }, (_, i) => rows.slice(i * CQL_BATCH, (i + 1) * CQL_BATCH)),
    );
    await inChunks(batches, 1, CQL_IN_FLIGHT, ([batch]) => this.cassandra.batch(batch, { prepare: true, logged: false }));
    await this.cassandra.execute("insert into revenue_currencies (scope, currency) values ('revenue', 'EUR')");
  }

  async close(): Promise<void> {
    await Promise.all([this.mongo.close(), this.pg.end(), this.cassandra.shutdown()]);
  }
}
