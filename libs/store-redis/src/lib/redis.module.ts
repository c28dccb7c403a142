import { Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { RedisConfig } from '@ecom/config';
import { HealthRegistry } from '@ecom/health';
import { Metrics } from '@ecom/observability';
import { redisClient } from './redis-client';
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
    const { url, sentinels } = this.config.getOrThrow<RedisConfig>('redis');
    const target = sentinels
      ? `the primary ${sentinels.master} of sentinels ${sentinels.hosts.map((h) => `${h.host}:${h.port}`).join(',')}`
      : url;
    await withStartupRetry('redis', target, () => this.redis.ping());
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
        return redisClient(c.getOrThrow<RedisConfig>('redis'));
      },
    },
    RedisLifecycle,
  ],
  exports: [REDIS],
})
export class RedisModule {}
