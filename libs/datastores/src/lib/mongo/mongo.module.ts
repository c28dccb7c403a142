import { DynamicModule, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { MongoConfig } from '@ecom/config';
import { HealthRegistry, MongoHealthIndicator } from '@ecom/health';

@Injectable()
class MongoSetup implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly registry: HealthRegistry,
    private readonly indicator: MongoHealthIndicator,
  ) {}

  // indexes are created explicitly here, once, rather than lazily by mongoose on first use
  async onModuleInit(): Promise<void> {
    for (const model of Object.values(this.connection.models)) {
      // init() creates the collection; wait for it, as racing an implicit create fails on some servers
      await model.init();
      await model.createIndexes();
    }
    this.registry.register(() => this.indicator.isHealthy('mongodb', this.connection));
  }
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
              maxPoolSize: cfg.poolSize,
              autoIndex: false,
              serverSelectionTimeoutMS: 5_000,
              retryAttempts: 30,
              retryDelay: 1_000,
            };
          },
        }),
      ],
      providers: [MongoSetup],
    };
  }
}
