import { DynamicModule, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection, ConnectOptions } from 'mongoose';
import type { MongoConfig } from '@ecom/config';
import { HealthRegistry } from '@ecom/health';
import { Metrics, type PoolUsage } from '@ecom/observability';
import { MongoHealthIndicator } from './mongo.health';

@Injectable()
class MongoSetup implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly registry: HealthRegistry,
    private readonly indicator: MongoHealthIndicator,
    private readonly metrics: Metrics,
  ) {}

  // indexes are created explicitly here, once, rather than lazily by mongoose on first use
  async onModuleInit(): Promise<void> {
    this.metrics.pools.register('mongodb', poolUsage(this.connection));
    for (const model of Object.values(this.connection.models)) {
      // init() creates the collection; wait for it, as racing an implicit create fails on some servers
      await model.init();
      await model.createIndexes();
    }
    this.registry.register(() => this.indicator.isHealthy('mongodb', this.connection));
  }
}

/**
 * the driver's pools, counted from its connection monitoring events: it exposes no numbers. the
 * counting starts before this service's first query, when no pooled connection is checked out
 */
function poolUsage(connection: Connection): () => PoolUsage {
  const client = connection.getClient();
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

/**
 * writes are acknowledged once they are in the journal: a standalone mongod otherwise acknowledges
 * from memory and flushes its journal every 100 ms, so a crash loses the writes of that window. a
 * write concern in the URI (w, journal, wtimeoutMS) replaces this default entirely.
 */
export function writeConcernFor(uri: string): Pick<ConnectOptions, 'writeConcern'> {
  const query = uri.split('?')[1] ?? '';
  const named = new URLSearchParams(query);
  const inUri = ['w', 'journal', 'j', 'wtimeoutMS'].some((k) => [...named.keys()].some((n) => n.toLowerCase() === k.toLowerCase()));
  return inUri ? {} : { writeConcern: { journal: true } };
}

/** mongoose over the MongoDB wire protocol (MongoDB with docker, mongo-java-server in the native stack) */
@Module({})
export class MongoModule {
  static forRoot(): DynamicModule {
    return {
      module: MongoModule,
      imports: [
        MongooseModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (c: ConfigService) => {
            const cfg = c.getOrThrow<MongoConfig>('mongodb');
            return {
              uri: cfg.uri,
              ...writeConcernFor(cfg.uri),
              maxPoolSize: cfg.poolSize,
              autoIndex: false,
              serverSelectionTimeoutMS: 5_000,
              retryAttempts: 30,
              retryDelay: 1_000,
            };
          },
        }),
      ],
      providers: [MongoHealthIndicator, MongoSetup],
    };
  }
}
