import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthCheckService } from '@nestjs/terminus';
import type { Client as CassandraClient } from 'cassandra-driver';
import type { Client as EsClient } from '@elastic/elasticsearch';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AppConfigModule, cassandraConfig, elasticsearchConfig, loadConfig, postgresConfig, readEnv, serviceConfig } from '@ecom/config';
import { HealthModule, HealthRegistry } from '@ecom/health';
import { MetricsModule } from '@ecom/observability';
import { createTempDatabase } from '@ecom/testing';
import { CASSANDRA, CassandraModule } from '@ecom/store-cassandra';
import { ELASTICSEARCH, ElasticsearchModule } from '@ecom/store-elasticsearch';
import { PostgresModule } from '@ecom/store-postgres';

// two replicas of one service start at the same moment on an empty database, keyspace and index
// prefix: one migrates while the other waits on the advisory lock, and both come up.

const run = randomUUID().replace(/-/g, '').slice(0, 8);
const keyspace = `it_race_${run}`;
const prefix = `it-race-${run}`;
// readers and writers use the alias; the index behind it is created once
const alias = `${prefix}-things`;
const index = `${alias}-v1`;

// up() calls across both replicas: a migration that two replicas both start has run twice,
// even when the loser's transaction rolls back
const ups = new Map<string, number>();
const countUp = (name: string) => ups.set(name, (ups.get(name) ?? 0) + 1);

class CreateRuns1700000000001 implements MigrationInterface {
  name = 'CreateRuns1700000000001';
  async up(q: QueryRunner): Promise<void> {
    countUp(this.name);
    // holds the lock long enough that the other replica is certain to reach it meanwhile
    await q.query('select pg_sleep(1.5)');
    await q.query('create table it_runs (migration text not null)');
    await q.query('insert into it_runs values ($1)', [this.name]);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table it_runs');
  }
}

class AddRun1700000000002 implements MigrationInterface {
  name = 'AddRun1700000000002';
  async up(q: QueryRunner): Promise<void> {
    countUp(this.name);
    await q.query('insert into it_runs values ($1)', [this.name]);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('delete from it_runs where migration = $1', [this.name]);
  }
}

/** polls pg_locks for an advisory lock someone is waiting on, until stopped */
function watchLockWaiters(pg: PgClient) {
  let stopped = false;
  let seen = 0;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await pg.query(
        `select count(*)::int as n from pg_locks
          where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`,
      );
      seen = Math.max(seen, rows[0].n);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return seen;
  };
}

describe('two replicas starting together on empty stores', () => {
  const env = readEnv();
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let pg: PgClient;
  let started: PromiseSettledResult<INestApplicationContext>[] = [];
  let apps: INestApplicationContext[] = [];
  let maxWaiters = 0;

  const replica = async () => {
    // this file's own empty stores, whatever names the rest of the run was given
    const values = loadConfig(
      [serviceConfig('it-race'), postgresConfig(db.database), cassandraConfig(keyspace), elasticsearchConfig(prefix)],
      {
        ...env,
        POSTGRES_DB: db.database,
        CASSANDRA_KEYSPACE: keyspace,
        ELASTICSEARCH_INDEX_PREFIX: prefix,
      },
    );
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(values),
        MetricsModule.forRoot('it-stores'),
        HealthModule,
        PostgresModule.forRoot({ entities: [], migrations: [CreateRuns1700000000001, AddRun1700000000002] }),
        CassandraModule.forRoot([
          `create table if not exists readings (sensor text, at timestamp, value double, primary key (sensor, at))`,
          `create table if not exists sensors (sensor text primary key, name text)`,
        ]),
        ElasticsearchModule.forRoot([{ alias: 'things', name: 'things-v1', mappings: { properties: { title: { type: 'text' } } } }]),
      ],
    }).compile();
    return moduleRef.init();
  };

  beforeAll(async () => {
    const pgCfg = loadConfig([postgresConfig('postgres')], env).postgres;
    db = await createTempDatabase(pgCfg, 'it_race');
    pg = new PgClient({ host: pgCfg.host, port: pgCfg.port, user: pgCfg.username, password: pgCfg.password, database: db.database });
    await pg.connect();
    const stopWatching = watchLockWaiters(pg);
    started = await Promise.allSettled([replica(), replica()]);
    maxWaiters = await stopWatching();
    apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  });

  afterAll(async () => {
    const any = apps[0];
    await any?.get<EsClient>(ELASTICSEARCH).indices.delete({ index }, { ignore: [404] });
    await any?.get<CassandraClient>(CASSANDRA).execute(`drop keyspace if exists ${keyspace}`);
    for (const app of apps) await app.close();
    await pg?.end();
    await db?.drop();
  });

  it('brings both replicas up and ready', async () => {
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up']);
    for (const app of apps) {
      expect((await app.get(HealthCheckService).check(app.get(HealthRegistry).all())).status).toBe('ok');
    }
  });

  it('runs each migration exactly once, the second replica having waited on the lock', async () => {
    expect(Object.fromEntries(ups)).toEqual({ CreateRuns1700000000001: 1, AddRun1700000000002: 1 });
    expect(maxWaiters).toBe(1);
    const dataSource = apps[0].get(DataSource);
    const migrations = await dataSource.query('select name from migrations order by id');
    expect(migrations.map((m: { name: string }) => m.name)).toEqual(['CreateRuns1700000000001', 'AddRun1700000000002']);
    const runs = await dataSource.query('select migration from it_runs order by migration');
    expect(runs.map((r: { migration: string }) => r.migration)).toEqual(['AddRun1700000000002', 'CreateRuns1700000000001']);
    // released once done (a crashed replica's lock goes with its connection)
    const { rows } = await pg.query(
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('creates the cassandra keyspace and tables, usable from both replicas', async () => {
    for (const app of apps) {
      const cassandra = app.get<CassandraClient>(CASSANDRA);
      const tables = await cassandra.execute('select table_name from system_schema.tables where keyspace_name = ?', [keyspace], {
        prepare: true,
      });
      // the service's tables, and the row naming their generation (rebuilds by replay make later ones)
      expect(tables.rows.map((r) => r['table_name']).sort()).toEqual(['keyspace_generation', 'readings', 'sensors']);
      await cassandra.execute('insert into sensors (sensor, name) values (?, ?)', ['s1', 'boiler'], { prepare: true });
    }
  });

  it('creates the elasticsearch index once, with its strict mapping', async () => {
    const es = apps[0].get<EsClient>(ELASTICSEARCH);
    const indices = await es.indices.get({ index: `${prefix}-*` });
    expect(Object.keys(indices)).toEqual([index]);
    expect(indices[index].mappings?.dynamic).toBe('strict');
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual([index]);
  });
});
