import { DynamicModule, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import type { PostgresConfig } from '@ecom/config';
import { HealthRegistry, PostgresHealthIndicator } from '@ecom/health';

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
  ) {}
  onModuleInit(): void {
    this.registry.register(() => this.indicator.isHealthy('postgres', this.dataSource));
  }
}

/** typeorm on postgres; the schema comes from migrations only, run at start-up */
@Module({})
export class PostgresModule {
  static forRoot(options: PostgresModuleOptions): DynamicModule {
    return {
      module: PostgresModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (c: ConfigService) => {
            const cfg = c.getOrThrow<PostgresConfig>('postgres');
            return {
              type: 'postgres' as const,
              host: cfg.host,
              port: cfg.port,
              username: cfg.username,
              password: cfg.password,
              database: cfg.database,
              entities: options.entities,
              migrations: options.migrations,
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              extra: { max: cfg.poolSize, connectionTimeoutMillis: 5_000 },
              retryAttempts: 30,
              retryDelay: 1_000,
            };
          },
        }),
      ],
      providers: [PostgresHealth],
    };
  }
}
