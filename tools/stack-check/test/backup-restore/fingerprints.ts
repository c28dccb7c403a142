import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as mongo from 'mongodb';
import { cassandraClient, es, mongoClient, pgClient, redisClient, type Ports } from './scratch-clients';

// the test's own count and fingerprint of every seeded table, read with each store's driver: a
// fingerprint is a hash of the table's rows, sorted. independent of npm run restore's own check

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** a set of rows' fingerprint: its count and a hash of the sorted rows */
const fingerprint = (rows: string[]) => ({ count: rows.length, hash: sha256([...rows].sort().join('\n')) });
export type Fingerprints = Record<string, { count: number; hash: string }>;

async function redisValue(redis: Redis, key: string, type: string) {
  switch (type) {
    case 'string':
      return redis.get(key);
    case 'hash':
      return JSON.stringify(Object.entries(await redis.hgetall(key)).sort());
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify((await redis.smembers(key)).sort());
    default:
      return JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'));
  }
}

/** every seeded table's count and content fingerprint, read with the stores' own drivers */
export async function fingerprints(ports: Ports): Promise<Fingerprints> {
  const out: Fingerprints = {};
  const admin = await pgClient(ports, 'postgres');
  const dbs = (await admin.query(`select datname from pg_database where datname like 'bk\\_%'`)).rows.map((r) => r.datname as string);
  await admin.end();
  for (const db of dbs.sort()) {
    const client = await pgClient(ports, db);
    const tables = await client.query(
      `select table_schema as s, table_name as t from information_schema.tables where table_schema in ('public', 'audit')`,
    );
    for (const { s, t } of tables.rows) {
      const rows = await client.query(`select * from ${s}.${t}`);
      out[`postgres ${db} ${s}.${t}`] = fingerprint(rows.rows.map((r) => JSON.stringify(r)));
    }
    await client.end();
  }

  const client = await mongoClient(ports).connect();
  for (const { name } of (await client.db().admin().listDatabases()).databases) {
    if (!name.startsWith('bk_')) continue;
    for (const c of await client.db(name).listCollections().toArray()) {
      const docs = await client.db(name).collection(c.name).find().toArray();
      out[`mongodb ${name} ${c.name}`] = fingerprint(docs.map((d) => mongo.BSON.EJSON.stringify(d, { relaxed: false })));
    }
  }
  await client.close();

  const cql = cassandraClient(ports);
  await cql.connect();
  const tables = await cql.execute(`select keyspace_name, table_name from system_schema.tables`);
  for (const { keyspace_name: ks, table_name: t } of tables.rows) {
    if (!String(ks).startsWith('bk_')) continue;
    const rows = await cql.execute(`select json * from ${ks}.${t}`, [], { fetchSize: 5000 });
    out[`cassandra ${ks} ${t}`] = fingerprint(rows.rows.map((r) => r['[json]'] as string));
  }
  await cql.shutdown();

  const indices = await es<{ index: string }[]>(ports, 'GET', '/_cat/indices/bk-*?format=json&h=index');
  for (const { index } of indices) {
    const res = await es(ports, 'POST', `/${index}/_search`, { size: 10_000 });
    out[`elasticsearch ${index}`] = fingerprint((res.hits?.hits ?? []).map((h) => JSON.stringify([h._id, h._source])));
  }

  for (const db of [0, 2]) {
    const redis = redisClient(ports, db);
    const rows: string[] = [];
    for (const key of await redis.keys('*')) {
      if ((await redis.ttl(key)) >= 0) continue; // expiring keys are checked apart
      const type = await redis.type(key);
      rows.push(`${type} ${key} ${await redisValue(redis, key, type)}`);
    }
    if (rows.length) out[`redis db${db}`] = fingerprint(rows);
    redis.disconnect();
  }
  return out;
}

export const counts = (f: Fingerprints) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.count]));
