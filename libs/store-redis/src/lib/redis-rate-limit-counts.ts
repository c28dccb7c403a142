import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Redis } from 'ioredis';
import { REDIS, ensureRedisConnected } from './redis.module';

/** rate limit counts in the service's redis (@nest-lab/throttler-storage-redis), one script per request */
@Injectable()
export class RedisRateLimitCounts implements ThrottlerStorage {
  private readonly counts: ThrottlerStorageRedisService;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    this.counts = new ThrottlerStorageRedisService(redis);
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, name: string) {
    // while redis is away, fail now rather than wait through the client's reconnects
    ensureRedisConnected(this.redis);
    return this.counts.increment(key, ttl, limit, blockDuration, name);
  }
}
