// every integration run gets a namespace of its own on the shared servers: kafka topics and
// consumer groups, a postgres database, a mongodb database, redis keys, elasticsearch indexes and
// a cassandra keyspace. so a running stack (npm start) and a test run never see each other's
// events or outbox rows, and two runs never meet. integration.config.cjs sets the variables
// before jest starts its workers; setup creates what the services do not create themselves, and
// teardown removes it all (best effort: a server that is gone by then only leaves it behind).
const { randomUUID } = require('node:crypto');

const RUN_PREFIX = 'it';
// the benchmark's runs (npm run bench) get namespaces of their own the same way
const PREFIXES = [RUN_PREFIX, 'bench'];

/** the variables of this run, kept if already set (a parent run, or a developer's choice) */
function runEnv(env = process.env, prefix = RUN_PREFIX) {
  if (!PREFIXES.includes(prefix)) throw new Error(`unknown run prefix ${prefix}`);
  const id = randomUUID().slice(0, 8);
  const name = `${prefix}_${id}`;
  return {
    KAFKA_TOPIC_PREFIX: env.KAFKA_TOPIC_PREFIX ?? `${prefix}-${id}.`,
    POSTGRES_DB: env.POSTGRES_DB ?? name,
    MONGODB_URI: env.MONGODB_URI ?? `mongodb://127.0.0.1:27017/${name}`,
    REDIS_KEY_PREFIX: env.REDIS_KEY_PREFIX ?? `${prefix}-${id}:`,
    ELASTICSEARCH_INDEX_PREFIX: env.ELASTICSEARCH_INDEX_PREFIX ?? `${prefix}-${id}`,
    CASSANDRA_KEYSPACE: env.CASSANDRA_KEYSPACE ?? name,
  };
}

const pgAdmin = (env) => {
  const { Client } = require('pg');
  return new Client({
    host: env.POSTGRES_HOST ?? '127.0.0.1',
    port: Number(env.POSTGRES_PORT ?? 5432),
    user: env.POSTGRES_USER ?? 'ecom',
    password: env.POSTGRES_PASSWORD ?? 'ecom',
    database: 'postgres',
  });
};

/** only what this file named is ever created or dropped; a value someone set is left alone */
const ours = (value) =>
  typeof value === 'string' && new RegExp(`^(${PREFIXES.join('|')})[-_][0-9a-f]{8}\\b`).test(value.replace(/^.*\//, ''));

async function setup() {
  const env = process.env;
  if (!ours(env.POSTGRES_DB)) return;
  const pg = pgAdmin(env);
  await pg.connect();
  try {
    const exists = await pg.query('select 1 from pg_database where datname = $1', [env.POSTGRES_DB]);
    if (exists.rowCount === 0) await pg.query(`create database "${env.POSTGRES_DB}"`);
  } finally {
    await pg.end();
  }
}

async function step(what, work) {
  try {
    await Promise.race([work(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 15_000).unref())]);
  } catch (e) {
    console.warn(`[integration] could not remove this run's ${what}: ${e.message}`);
  }
}

// kafkajs arms a timer with a negative delay on every idle connection (ADR 14), and node 24 warns about it at
// the end of every run. the services replace that method (@ecom/kafka, stopKafkajsIdleTimer); this short-lived
// admin, outside the typescript build, only needs no timer when nothing is pending and nothing throttles
function quietIdleTimer() {
  const queue = require('kafkajs/src/network/requestQueue').prototype;
  const schedule = queue.scheduleCheckPendingRequests;
  if (schedule.quiet) return;
  queue.scheduleCheckPendingRequests = Object.assign(
    function () {
      if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
      schedule.call(this);
    },
    { quiet: true },
  );
}

async function teardown() {
  const env = process.env;
  await step('kafka topics', async () => {
    if (!ours(env.KAFKA_TOPIC_PREFIX)) return;
    const { Kafka, logLevel } = require('kafkajs');
    quietIdleTimer();
    const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((s) => s.trim());
    const admin = new Kafka({ clientId: 'it-teardown', brokers, logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(env.KAFKA_TOPIC_PREFIX));
      if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
    } finally {
      await admin.disconnect();
    }
  });
  await step('postgres database', async () => {
    if (!ours(env.POSTGRES_DB)) return;
    const pg = pgAdmin(env);
    await pg.connect();
    try {
      await pg.query(`drop database if exists "${env.POSTGRES_DB}" with (force)`);
    } finally {
      await pg.end();
    }
  });
  await step('mongodb database', async () => {
    if (!ours(env.MONGODB_URI)) return;
    const { MongoClient } = require('mongodb');
    const client = new MongoClient(env.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
    try {
      await client.db().dropDatabase();
    } finally {
      await client.close();
    }
  });
  await step('redis keys', async () => {
    if (!ours(env.REDIS_KEY_PREFIX)) return;
    const { Redis } = require('ioredis');
    const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_KEY_PREFIX}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });
  await step('elasticsearch indexes', async () => {
    if (!ours(env.ELASTICSEARCH_INDEX_PREFIX)) return;
    const node = env.ELASTICSEARCH_NODE ?? 'http://127.0.0.1:9200';
    // a wildcard delete needs action.destructive_requires_name=false; list, then delete by name
    const res = await fetch(`${node}/_cat/indices/${env.ELASTICSEARCH_INDEX_PREFIX}*?h=index&format=json`);
    const indexes = /** @type {{ index: string }[]} */ (res.ok ? await res.json() : []);
    const names = indexes.map((i) => i.index);
    if (names.length) await fetch(`${node}/${names.join(',')}`, { method: 'DELETE' });
  });
  await step('cassandra keyspaces', async () => {
    if (!ours(env.CASSANDRA_KEYSPACE)) return;
    const { Client } = require('cassandra-driver');
    const contactPoints = (env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042').split(',').map((s) => s.trim());
    const client = new Client({ contactPoints, localDataCenter: env.CASSANDRA_LOCAL_DC ?? 'datacenter1' });
    try {
      // and the generations a rebuild made beside it (libs/store-cassandra keyspace-generations.ts)
      const all = (await client.execute('select keyspace_name from system_schema.keyspaces')).rows.map((r) => r.keyspace_name);
      const generations = all.filter((k) => k.startsWith(`${env.CASSANDRA_KEYSPACE.slice(0, 32)}_r`));
      for (const keyspace of [env.CASSANDRA_KEYSPACE, ...generations]) await client.execute(`drop keyspace if exists "${keyspace}"`);
    } finally {
      await client.shutdown();
    }
  });
}

module.exports = { runEnv, setup, teardown };
