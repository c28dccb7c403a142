import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthCheckService } from '@nestjs/terminus';
import type { Client as CassandraClient } from 'cassandra-driver';
import type { Client as EsClient } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import type { Collection, Db } from 'mongodb';
import { randomUUID } from 'node:crypto';
import {
  AppConfigModule,
  cassandraConfig,
  elasticsearchConfig,
  loadConfig,
  mongodbConfig,
  postgresConfig,
  readEnv,
  redisConfig,
  serviceConfig,
} from '@ecom/config';
import { HealthModule, HealthRegistry } from '@ecom/health';
import { Metrics, MetricsModule } from '@ecom/observability';
import { createTempDatabase } from '@ecom/testing';
import { CASSANDRA, CassandraModule } from '@ecom/store-cassandra';
import { ELASTICSEARCH, ElasticsearchModule } from '@ecom/store-elasticsearch';
import { InjectCollection, MONGO_DB, MongoModule } from '@ecom/store-mongo';
import { PostgresModule } from '@ecom/store-postgres';
import { REDIS, RedisModule } from '@ecom/store-redis';

// every store module against the real servers: connection, explicit schema set-up, readiness.

const run = randomUUID().replace(/-/g, '').slice(0, 8);

interface Widget {
  sku: string;
  rev: number;
  winner?: number;
}

@Injectable()
class Widgets {
  constructor(@InjectCollection('widgets') readonly collection: Collection<Widget>) {}
}

@Module({
  imports: [MongoModule.forFeature([{ name: 'widgets', indexes: [{ key: { sku: 1 }, unique: true }] }])],
  providers: [Widgets],
  exports: [Widgets],
})
class WidgetModule {}

describe('store modules on the real stack', () => {
  let app: INestApplicationContext;
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  // names of its own, whatever namespace the run gives the services (tools/jest/run-stores.cjs)
  const base = readEnv();
  const mongoUri = new URL(loadConfig([mongodbConfig('x')], base).mongodb.uri);
  mongoUri.pathname = `/it_${run}`;
  const env = {
    ...base,
    MONGODB_URI: mongoUri.toString(),
    REDIS_KEY_PREFIX: `it-${run}:`,
    CASSANDRA_KEYSPACE: `it_${run}`,
    ELASTICSEARCH_INDEX_PREFIX: `it-${run}`,
  };
  const cfg = loadConfig(
    [
      serviceConfig('it-stores'),
      mongodbConfig(`it_${run}`),
      redisConfig(`it-${run}`),
      cassandraConfig(`it_${run}`),
      elasticsearchConfig(`it-${run}`),
    ],
    env,
  );

  beforeAll(async () => {
    db = await createTempDatabase(loadConfig([postgresConfig('postgres')], env).postgres);
    const values = { ...cfg, ...loadConfig([postgresConfig(db.database)], env) };
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(values),
        MetricsModule.forRoot('it-stores'),
        HealthModule,
        MongoModule.forRoot(),
        WidgetModule,
        RedisModule,
        PostgresModule.forRoot({ entities: [], migrations: [] }),
        CassandraModule.forRoot([
          `create table if not exists readings (sensor text, at timestamp, value double, primary key (sensor, at))`,
        ]),
        ElasticsearchModule.forRoot([
          { alias: 'things', name: 'things-v1', mappings: { properties: { title: { type: 'text' }, tag: { type: 'keyword' } } } },
        ]),
      ],
    }).compile();
    app = await moduleRef.init();
  });

  afterAll(async () => {
    await app?.get<Db>(MONGO_DB).dropDatabase();
    await app?.get<EsClient>(ELASTICSEARCH).indices.delete({ index: `it-${run}-things-v1` }, { ignore: [404] });
    await app?.get<CassandraClient>(CASSANDRA).execute(`drop keyspace if exists it_${run}`);
    await app?.close();
    await db?.drop();
  });

  it('reports every store ready', async () => {
    const result = await app.get(HealthCheckService).check(app.get(HealthRegistry).all());
    expect(result.status).toBe('ok');
    expect(Object.keys(result.details).sort()).toEqual(['cassandra', 'elasticsearch', 'mongodb', 'postgres', 'redis']);
  });

  it('creates mongodb indexes at start-up and enforces them', async () => {
    const widgets = app.get(Widgets).collection;
    expect((await widgets.indexes()).map((i) => i.key)).toContainEqual({ sku: 1 });
    await widgets.insertOne({ sku: 'a', rev: 0 });
    await expect(widgets.insertOne({ sku: 'a', rev: 0 })).rejects.toMatchObject({ code: 11000 });
  });

  it('applies a conditional update atomically: one winner among racing writers', async () => {
    const widgets = app.get(Widgets).collection;
    const { insertedId: _id } = await widgets.insertOne({ sku: 'race', rev: 0 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => widgets.updateOne({ _id, rev: 0 }, { $set: { winner: i }, $inc: { rev: 1 } })),
    );
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
    expect((await widgets.findOne({ _id }))?.rev).toBe(1);
  });

  it('creates the cassandra keyspace and tables', async () => {
    const cassandra = app.get<CassandraClient>(CASSANDRA);
    const tables = await cassandra.execute('select table_name from system_schema.tables where keyspace_name = ?', [`it_${run}`], {
      prepare: true,
    });
    expect(tables.rows.map((r) => r['table_name'])).toContain('readings');
    await cassandra.execute('insert into readings (sensor, at, value) values (?, ?, ?)', ['s1', new Date(), 1.5], { prepare: true });
    expect((await cassandra.execute('select value from readings where sensor = ?', ['s1'], { prepare: true })).rows[0]['value']).toBe(1.5);
  });

  it('creates the elasticsearch index with its strict mapping, behind the alias readers and writers use', async () => {
    const es = app.get<EsClient>(ELASTICSEARCH);
    const index = `it-${run}-things`; // the alias
    const mapping = await es.indices.getMapping({ index });
    expect(Object.keys(mapping)).toEqual([`${index}-v1`]);
    expect(mapping[`${index}-v1`].mappings.dynamic).toBe('strict');
    await es.index({ index, document: { title: 'red running shoes', tag: 'shoes' }, refresh: true });
    const hits = await es.search({ index, query: { match: { title: 'running' } } });
    expect(hits.hits.hits).toHaveLength(1);
    await expect(es.index({ index, document: { unknown: 1 } })).rejects.toMatchObject({ meta: { statusCode: 400 } });
  });

  it("exports each store client's pool in the OpenTelemetry db.client.connection metrics", async () => {
    await app.get(Widgets).collection.findOne({ sku: 'none' });
    const text = await app.get(Metrics).registry.metrics();
    const sample = (name: string, labels: string) => text.match(new RegExp(`^${name}\\{${labels}[^}]*\\} (\\d+)$`, 'm'))?.[1];
    for (const db of ['postgresql', 'mongodb']) {
      expect(Number(sample('db_client_connection_max', `db_system_name="${db}"`))).toBeGreaterThan(0);
      expect(sample('db_client_connection_count', `db_system_name="${db}",state="idle"`)).toBeDefined();
    }
    // mongodb's pool counts from the driver's events: the query above opened a connection and returned it
    expect(Number(sample('db_client_connection_count', 'db_system_name="mongodb",state="idle"'))).toBeGreaterThan(0);
    expect(Number(sample('db_client_connection_count', 'db_system_name="cassandra",state="used"'))).toBeGreaterThan(0);
    expect(sample('db_client_connection_pending_requests', 'db_system_name="redis"')).toBe('0');
  });

  it('prefixes redis keys per service', async () => {
    const redis = app.get<Redis>(REDIS);
    await redis.set('k', 'v');
    expect(await redis.get('k')).toBe('v');
    const raw = redis.duplicate({ keyPrefix: '' });
    expect(await raw.get(`it-${run}:k`)).toBe('v');
    await raw.del(`it-${run}:k`);
    await raw.quit();
  });
});
