import { DynamicModule, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import * as pg from 'pg';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { readCaFile, type PostgresConfig } from '@ecom/config';
import { HealthRegistry } from '@ecom/health';
import { Metrics } from '@ecom/observability';
import { PostgresHealthIndicator } from './postgres.health';
import { runMigrationsOnce } from './run-migrations';

export interface PostgresModuleOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

@Injectable()
class PostgresHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly indicator: PostgresHealthIndicator,
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {}
  onModuleInit(): void {
    this.registry.register(() => this.indicator.isHealthy('postgres', this.dataSource));
    // typeorm's postgres driver keeps its pg.Pool as `master`
    const pool = (this.dataSource.driver as unknown as { master: pg.Pool }).master;
    this.metrics.pools.register('postgresql', () => ({
      used: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      max: pool.options.max,
      pending: pool.waitingCount,
    }));
  }
}

/** how a service's data source connects: the config's server, pool and TLS, the service's entities and migrations */
export function postgresDataSourceOptions(cfg: PostgresConfig, options: PostgresModuleOptions) {
  return {
    type: 'postgres' as const,
    // the driver named, not left to typeorm's require at run time: the build then lists pg
    // among this service's dependencies, and only for the services on postgres
    driver: pg,
    host: cfg.host,
    port: cfg.port,
    username: cfg.username,
    password: cfg.password,
    database: cfg.database,
    // verify-full: the server's certificate must chain to this CA and name the host
    ...(cfg.sslCaFile && { ssl: { ca: readCaFile('POSTGRES_SSL_CA_FILE', cfg.sslCaFile), rejectUnauthorized: true } }),
    entities: options.entities,
    migrations: options.migrations,
    // run by migratedDataSource, under an advisory lock, not by typeorm's initialize()
    migrationsRun: false,
    synchronize: false,
    extra: { max: cfg.poolSize, connectionTimeoutMillis: 5_000 },
    retryAttempts: 30,
    retryDelay: 1_000,
  };
}

/** connects, then migrates under the lock; nothing gets the data source before its schema is current */
async function migratedDataSource(options?: DataSourceOptions): Promise<DataSource> {
  if (!options) throw new Error('postgres: no data source options');
  const dataSource = await new DataSource(options).initialize();
  try {
    await runMigrationsOnce(dataSource);
    return dataSource;
  } catch (e) {
    // typeorm's retry makes a new data source; don't leave this one's pool open
    await dataSource.destroy();
    throw e;
  }
}

/** typeorm on postgres; the schema comes from migrations only, run at start-up by one replica at a time */
@Module({})
export class PostgresModule {
  static forRoot(options: PostgresModuleOptions): DynamicModule {
    return {
      module: PostgresModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (c: ConfigService) => postgresDataSourceOptions(c.getOrThrow<PostgresConfig>('postgres'), options),
          dataSourceFactory: migratedDataSource,
        }),
      ],
      providers: [PostgresHealthIndicator, PostgresHealth],
    };
  }
}
