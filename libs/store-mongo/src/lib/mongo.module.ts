import { DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongoClient, MongoServerError, type Collection, type Db, type Document, type IndexDescription, type MongoClientOptions } from 'mongodb';
import type { MongoConfig } from '@ecom/config';
import { HealthRegistry } from '@ecom/health';
import { Metrics, type PoolUsage } from '@ecom/observability';
import { withStartupRetry } from '@ecom/resilience';
import { MongoHealthIndicator } from './mongo.health';

/** the connected client; closed when the application shuts down */
export const MONGO_CLIENT = Symbol('MONGO_CLIENT');
/** the database named in MONGODB_URI */
export const MONGO_DB = Symbol('MONGO_DB');

/** a collection a service owns: its name and the indexes created for it at start-up */
export interface CollectionSpec {
  readonly name: string;
  readonly indexes?: readonly IndexDescription[];
  /** names of indexes an earlier version created and this one no longer uses: dropped at start-up, as each costs every write */
  readonly retiredIndexes?: readonly string[];
}

/** the injection token of a collection registered with MongoModule.forFeature */
export const collectionToken = (name: string) => `mongodb:collection:${name}`;

/** injects a collection registered with MongoModule.forFeature: `@InjectCollection('products') products: Collection<Product>` */
export const InjectCollection = (name: string) => Inject(collectionToken(name));

/**
 * writes are acknowledged once they are in the journal: a standalone mongod otherwise acknowledges
 * from memory and flushes its journal every 100 ms, so a crash loses the writes of that window. a
 * write concern in the URI (w, journal, wtimeoutMS) replaces this default entirely.
 */
export function writeConcernFor(uri: string): Pick<MongoClientOptions, 'writeConcern'> {
  const query = uri.split('?')[1] ?? '';
  const named = new URLSearchParams(query);
  const inUri = ['w', 'journal', 'j', 'wtimeoutMS'].some((k) => [...named.keys()].some((n) => n.toLowerCase() === k.toLowerCase()));
  return inUri ? {} : { writeConcern: { journal: true } };
}

/**
 * the client's options for a config: the pool, the write concern, a server-selection wait that fails
 * fast, and fields left undefined (an optional field of a request) left out of documents and
 * updates rather than stored as null
 */
export function clientOptions(cfg: MongoConfig): MongoClientOptions {
  return { ...writeConcernFor(cfg.uri), maxPoolSize: cfg.poolSize, serverSelectionTimeoutMS: 5_000, ignoreUndefined: true };
}

// a client that has not connected yet is no use to retry: each attempt gets a new one
async function connectedClient(cfg: MongoConfig): Promise<MongoClient> {
  return withStartupRetry(
    'mongodb',
    cfg.uri,
    async () => {
      const client = new MongoClient(cfg.uri, clientOptions(cfg));
      try {
        return await client.connect();
      } catch (e) {
        await client.close().catch(() => undefined);
        throw e;
      }
    },
    180_000,
  );
}

/**
 * creates each collection, then its indexes, before the service takes traffic: waiting for the
 * create, as an implicit one racing another replica's fails on some servers. a collection that
 * exists already (another replica, an earlier start) is fine; an index that exists is left as is
 */
export async function ensureCollections(db: Db, specs: readonly CollectionSpec[]): Promise<void> {
  for (const spec of specs) {
    try {
      await db.createCollection(spec.name);
    } catch (e) {
      // NamespaceExists
      if (!(e instanceof MongoServerError && e.code === 48)) throw e;
    }
    if (spec.indexes?.length) await db.collection(spec.name).createIndexes([...spec.indexes]);
    if (spec.retiredIndexes?.length) await dropIndexes(db.collection(spec.name), spec.retiredIndexes);
  }
}

// one that is gone already (dropped at an earlier start, or by another replica just now) is fine
async function dropIndexes(collection: Collection, names: readonly string[]): Promise<void> {
  for (const name of names) {
    try {
      await collection.dropIndex(name);
    } catch (e) {
      // IndexNotFound
      if (!(e instanceof MongoServerError && e.code === 27)) throw e;
    }
  }
}

/**
 * the driver's pools, counted from its connection monitoring events: it exposes no numbers. the
 * counting starts before this service's first query, when no pooled connection is checked out
 */
function poolUsage(client: MongoClient): () => PoolUsage {
  let open = 0;
  let used = 0;
  let waiting = 0;
  client.on('connectionCreated', () => open++);
  client.on('connectionClosed', () => (open = Math.max(0, open - 1)));
  client.on('connectionCheckOutStarted', () => waiting++);
  client.on('connectionCheckOutFailed', () => (waiting = Math.max(0, waiting - 1)));
  client.on('connectionCheckedOut', () => {
    waiting = Math.max(0, waiting - 1);
    used++;
  });
  client.on('connectionCheckedIn', () => (used = Math.max(0, used - 1)));
  const max = client.options.maxPoolSize;
  return () => ({ used, idle: Math.max(0, open - used), max, pending: waiting });
}

@Injectable()
class MongoLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MONGO_CLIENT) private readonly client: MongoClient,
    @Inject(MONGO_DB) private readonly db: Db,
    private readonly registry: HealthRegistry,
    private readonly indicator: MongoHealthIndicator,
  ) {}

  onModuleInit(): void {
    this.registry.register(() => this.indicator.isHealthy('mongodb', this.db));
  }

  // after every beforeApplicationShutdown (the outbox relay's last round among them)
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/**
 * MongoDB through its own driver, no ODM: the repositories write the documents they mean, and a
 * service loads neither mongoose's schemas nor its per-query casting (docs/adr/0019). Runs over the
 * MongoDB wire protocol: MongoDB with docker, mongo-java-server in the native stack (adr 6).
 * forRoot() connects once per service; forFeature() declares the collections a module uses.
 */
@Module({})
export class MongoModule {
  static forRoot(): DynamicModule {
    return {
      module: MongoModule,
      // the client and the database, for every module's forFeature
      global: true,
      providers: [
        {
          provide: MONGO_CLIENT,
          inject: [ConfigService, Metrics],
          useFactory: async (c: ConfigService, metrics: Metrics) => {
            const client = await connectedClient(c.getOrThrow<MongoConfig>('mongodb'));
            metrics.pools.register('mongodb', poolUsage(client));
            return client;
          },
        },
        { provide: MONGO_DB, inject: [MONGO_CLIENT], useFactory: (client: MongoClient) => client.db() },
        MongoHealthIndicator,
        MongoLifecycle,
      ],
      exports: [MONGO_CLIENT, MONGO_DB],
    };
  }

  /** the collections of one module, each injectable with @InjectCollection(name), created with their indexes at start-up */
  static forFeature(specs: readonly CollectionSpec[]): DynamicModule {
    const ready = Symbol('collections ready');
    const providers = specs.map((spec) => ({
      provide: collectionToken(spec.name),
      // after the collection and its indexes exist
      inject: [MONGO_DB, ready],
      useFactory: (db: Db): Collection<Document> => db.collection(spec.name),
    }));
    return {
      module: MongoModule,
      providers: [{ provide: ready, inject: [MONGO_DB], useFactory: (db: Db) => ensureCollections(db, specs) }, ...providers],
      exports: providers.map((p) => p.provide),
    };
  }
}
