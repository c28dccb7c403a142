import { DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client } from 'cassandra-driver';
import type { CassandraConfig } from '@ecom/config';
import { HealthRegistry } from '@ecom/health';
import { Metrics } from '@ecom/observability';
import { CassandraHealthIndicator } from './cassandra.health';
import { withStartupRetry } from '@ecom/resilience';
import { cassandraClient, replicationOf } from './cassandra-client';
import { applyDdl, assertIdempotentDdl } from './apply-schema';
import { CassandraKeyspace, generationsDdl, readGeneration } from './keyspace-generations';
import { CASSANDRA, CASSANDRA_BASE_KEYSPACE } from './tokens';

export { CASSANDRA } from './tokens';
const SCHEMA = Symbol('ecom:cassandra-schema');

@Injectable()
class CassandraSetup implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(CASSANDRA) private readonly client: Client,
    @Inject(SCHEMA) private readonly schema: readonly string[],
    private readonly config: ConfigService,
    private readonly registry: HealthRegistry,
    private readonly indicator: CassandraHealthIndicator,
    private readonly metrics: Metrics,
  ) {}

  /**
   * keyspace and tables are created explicitly at start-up, by every replica: each statement is
   * IF NOT EXISTS and is followed by a wait for schema agreement (see applyDdl). the tables go to the
   * current generation (keyspace-generations.ts), so a table a new version adds joins the live ones
   */
  async onModuleInit(): Promise<void> {
    const cfg = this.config.getOrThrow<CassandraConfig>('cassandra');
    await withStartupRetry('cassandra', cfg.contactPoints.join(','), () => this.client.connect(), 120_000);
    await applyDdl(this.client, `create keyspace if not exists ${cfg.keyspace} with replication = ${replicationOf(cfg)}`);
    await this.client.execute(`use ${cfg.keyspace}`);
    await applyDdl(this.client, generationsDdl);
    const current = await readGeneration(this.client, cfg.keyspace);
    if (current !== cfg.keyspace) await this.client.execute(`use ${current}`);
    for (const statement of this.schema) await applyDdl(this.client, statement);
    this.registry.register(() => this.indicator.isHealthy('cassandra', this.client));
    // connections are shared by many queries at once: every open one is in use, and what waits is the queries in flight
    this.metrics.pools.register('cassandra', () => {
      const state = this.client.getState();
      const hosts = state.getConnectedHosts();
      return {
        used: hosts.reduce((n, h) => n + state.getOpenConnections(h), 0),
        pending: hosts.reduce((n, h) => n + state.getInFlightQueries(h), 0),
      };
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.shutdown();
  }
}

@Module({})
export class CassandraModule {
  /** schema: CREATE TABLE IF NOT EXISTS statements, run in the service's keyspace */
  static forRoot(schema: readonly string[]): DynamicModule {
    schema.forEach(assertIdempotentDdl);
    return {
      module: CassandraModule,
      global: true,
      providers: [
        CassandraHealthIndicator,
        { provide: SCHEMA, useValue: schema },
        {
          provide: CASSANDRA,
          inject: [ConfigService],
          useFactory: (c: ConfigService) => {
            return cassandraClient(c.getOrThrow<CassandraConfig>('cassandra'));
          },
        },
        {
          provide: CASSANDRA_BASE_KEYSPACE,
          inject: [ConfigService],
          useFactory: (c: ConfigService) => c.getOrThrow<CassandraConfig>('cassandra').keyspace,
        },
        CassandraKeyspace,
        CassandraSetup,
      ],
      exports: [CASSANDRA, CassandraKeyspace],
    };
  }
}
