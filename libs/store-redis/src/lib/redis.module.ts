import { Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { RedisConfig } from '@ecom/config';
import { HealthRegistry } from '@ecom/health';
import { Metrics } from '@ecom/observability';
import { RedisHealthIndicator } from './redis.health';
import { StoreUnavailable, withStartupRetry } from '@ecom/resilience';

export const REDIS = Symbol('ecom:redis');

/**
 * throws StoreUnavailable at once while the client has no connection. a command sent then waits
 * through the client's reconnect attempts (seconds, longer as the outage goes on) before failing;
 * callers that have something better to do than wait (a cache, a 503) ask first.
 */
export function ensureRedisConnected(redis: Pick<Redis, 'status'>): void {
  if (redis.status !== 'ready') throw new StoreUnavailable('redis');
}

@Injectable()
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly registry: HealthRegistry,
    private readonly indicator: RedisHealthIndicator,
    private readonly config: ConfigService,
    private readonly metrics: Metrics,
  ) {}

  async onModuleInit(): Promise<void> {
    const { url } = this.config.getOrThrow<RedisConfig>('redis');
    await withStartupRetry('redis', url, () => this.redis.ping());
    this.registry.register(() => this.indicator.isHealthy('redis', this.redis));
    // one connection, no pool: what waits is the commands sent and not yet answered
    this.metrics.pools.register('redis', () => ({ pending: this.redis.commandQueue.length }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    RedisHealthIndicator,
    {
      provide: REDIS,
      inject: [ConfigService],
      useFactory: (c: ConfigService) => {
        const cfg = c.getOrThrow<RedisConfig>('redis');
        // fail commands fast while disconnected instead of queueing them without bound
        return new Redis(cfg.url, { keyPrefix: cfg.keyPrefix, maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
      },
    },
    RedisLifecycle,
  ],
  exports: [REDIS],
})
export class RedisModule {}
