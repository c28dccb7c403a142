import { types } from 'cassandra-driver';
import * as mongo from 'mongodb';
import { cassandraClient, es, mongoClient, pgClient, redisClient, type Ports } from './scratch-clients';

// what the backup round trip writes into its scratch stack: several databases and tables of each store,
// with the things a restore must keep (unique indexes, an alias, a counter table, a dropped column,
// keys that expire)

// the rows (documents, keys without a time to live) of each seeded table, collection, index and redis database
export const SEEDED = {
  'postgres bk_orders public.orders': 300,
  'postgres bk_orders public.order_lines': 450,
  'postgres bk_users public.accounts': 120,
  'postgres bk_users audit.events': 80,
  'mongodb bk_catalog products': 250,
  'mongodb bk_catalog reviews': 180,
  'mongodb bk_accounts users': 90,
  'cassandra bk_analytics events': 400,
  'cassandra bk_analytics daily': 30,
  'cassandra bk_other kv': 60,
  'elasticsearch bk-products-v1': 220,
  'elasticsearch bk-reviews': 130,
  'redis db0': 250,
  'redis db2': 50,
};
export const VOLATILE_KEYS = 15;

async function seedPostgres(ports: Ports) {
  const admin = await pgClient(ports, 'postgres');
  for (const db of ['bk_orders', 'bk_users']) await admin.query(`create database ${db}`);
  await admin.end();
  const orders = await pgClient(ports, 'bk_orders');
  await orders.query(
    `create table orders (id int primary key, customer text not null, total numeric(12, 2), placed timestamptz, paid boolean, meta jsonb)`,
  );
  await orders.query(`insert into orders select i, 'customer ' || (i % 37), i * 1.25, timestamptz '2026-01-01' + i * interval '1 hour',
                        i % 3 = 0, jsonb_build_object('n', i, 'tags', jsonb_build_array('a', i % 5)) from generate_series(1, 300) i`);
  await orders.query(
    `create table order_lines (order_id int references orders, line int, sku text, qty int, primary key (order_id, line))`,
  );
  await orders.query(`insert into order_lines select 1 + i % 300, i, 'sku-' || (i % 90), 1 + i % 4 from generate_series(1, 450) i`);
  await orders.end();
  const users = await pgClient(ports, 'bk_users');
  await users.query(`create table accounts (id uuid primary key default gen_random_uuid(), email text unique not null, note text)`);
  await users.query(
    `insert into accounts (email, note) select 'user' || i || '@example.test', case when i % 4 = 0 then null else repeat('x', i) end from generate_series(1, 120) i`,
  );
  await users.query(`create schema audit`);
  await users.query(`create table audit.events (id bigserial primary key, what text, at timestamptz default now())`);
  await users.query(`insert into audit.events (what) select 'event ' || i from generate_series(1, 80) i`);
  await users.end();
}

async function seedMongo(ports: Ports) {
  const client = await mongoClient(ports).connect();
  const products = client.db('bk_catalog').collection('products');
  await products.insertMany(
    Array.from({ length: 250 }, (_, i) => ({
      sku: `sku-${i}`,
      name: `product ${i}`,
      price: new mongo.Decimal128(`${i}.99`),
      stock: i % 17,
      tags: ['t', `t${i % 7}`],
      added: new Date(Date.UTC(2026, 0, 1 + (i % 28))),
    })),
  );
  await products.createIndex({ sku: 1 }, { unique: true, name: 'sku_unique' });
  await client
    .db('bk_catalog')
    .collection('reviews')
    .insertMany(
      Array.from({ length: 180 }, (_, i) => ({ sku: `sku-${i % 250}`, stars: 1 + (i % 5), text: `review ${i}`, by: new mongo.ObjectId() })),
    );
  await client
    .db('bk_accounts')
    .collection('users')
    .insertMany(Array.from({ length: 90 }, (_, i) => ({ email: `user${i}@example.test`, profile: { n: i, admin: i === 0 } })));
  await client.db('bk_accounts').collection('users').createIndex({ email: 1 }, { unique: true });
  await client.close();
}

async function seedCassandra(ports: Ports) {
  const cql = cassandraClient(ports);
  await cql.connect();
  for (const ks of ['bk_analytics', 'bk_other'])
    await cql.execute(`create keyspace ${ks} with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  await cql.execute(
    `create table bk_analytics.events (day date, at timeuuid, kind text, props map<text, text>, labels set<text>, primary key (day, at))`,
  );
  await cql.execute(`create table bk_analytics.daily (day text primary key, orders counter)`);
  await cql.execute(`create table bk_other.kv (k text primary key, v blob, n bigint)`);
  // a dropped column: the SSTables keep its data, the restored schema must know it was dropped
  await cql.execute(`alter table bk_other.kv add legacy text`);
  await cql.execute(`alter table bk_other.kv drop legacy`);
  const events = Array.from({ length: 400 }, (_, i) => [
    types.LocalDate.fromDate(new Date(Date.UTC(2026, 0, 1 + (i % 10)))),
    types.TimeUuid.fromDate(new Date(Date.UTC(2026, 0, 1, 0, 0, i))),
    `kind-${i % 6}`,
    { i: String(i) },
    ['a', `l${i % 3}`],
  ]);
  await Promise.all(
    events.map((p) =>
      cql.execute('insert into bk_analytics.events (day, at, kind, props, labels) values (?, ?, ?, ?, ?)', p, { prepare: true }),
    ),
  );
  for (let i = 0; i < 90; i++)
    await cql.execute(
      'update bk_analytics.daily set orders = orders + ? where day = ?',
      [types.Long.fromNumber(1 + (i % 4)), `2026-01-${1 + (i % 30)}`],
      { prepare: true },
    );
  await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      cql.execute(
        'insert into bk_other.kv (k, v, n) values (?, ?, ?)',
        [`k${i}`, Buffer.from([i, 255 - i]), types.Long.fromNumber(i * 1e9)],
        { prepare: true },
      ),
    ),
  );
  await cql.shutdown();
}

async function seedElasticsearch(ports: Ports) {
  await es(ports, 'PUT', '/bk-products-v1', {
    aliases: { 'bk-products': {} },
    mappings: { properties: { name: { type: 'keyword' }, price: { type: 'double' } } },
  });
  const bulk = (index: string, docs: object[]) =>
    es(
      ports,
      'POST',
      `/${index}/_bulk?refresh=true`,
      `${docs.map((d, i) => `${JSON.stringify({ index: { _id: `${index}-${i}` } })}\n${JSON.stringify(d)}`).join('\n')}\n`,
    );
  await bulk(
    'bk-products-v1',
    Array.from({ length: 220 }, (_, i) => ({ name: `product ${i}`, price: i + 0.5, tags: [`t${i % 4}`] })),
  );
  await bulk(
    'bk-reviews',
    Array.from({ length: 130 }, (_, i) => ({ text: `review ${i}`, stars: 1 + (i % 5) })),
  );
}

async function seedRedis(ports: Ports) {
  const r0 = redisClient(ports, 0);
  const m = r0.multi();
  for (let i = 0; i < 200; i++) m.set(`str:${i}`, `value ${i}`);
  for (let i = 0; i < 20; i++) m.hset(`hash:${i}`, { a: String(i), b: `b${i}` });
  for (let i = 0; i < 10; i++) m.rpush(`list:${i}`, 'x', 'y', String(i));
  for (let i = 0; i < 10; i++) m.sadd(`set:${i}`, 'p', 'q', String(i));
  for (let i = 0; i < 10; i++) m.zadd(`zset:${i}`, 1, 'one', i, 'n');
  for (let i = 0; i < VOLATILE_KEYS; i++) m.set(`ttl:${i}`, 'soon gone', 'EX', 3600);
  await m.exec();
  r0.disconnect();
  const r2 = redisClient(ports, 2);
  for (let i = 0; i < 50; i++) await r2.set(`other:${i}`, String(i));
  r2.disconnect();
}

/** several databases, tables, collections (unique indexes), keyspaces, indices (an alias) and redis databases */
export async function seed(ports: Ports) {
  await seedPostgres(ports);
  await seedMongo(ports);
  await seedCassandra(ports);
  await seedElasticsearch(ports);
  await seedRedis(ports);
}
