import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import { RATE_LIMIT_NAMES, type RateLimitsConfig } from '@ecom/config';
import { FailOpenStorage } from './fail-open.storage';

@Module({})
class RateLimitCountsModule {}

/**
 * the rate limits of @RateLimit routes, counted in `counts`: a ThrottlerStorage on a store every
 * replica shares (RedisRateLimitCounts, PostgresRateLimitCounts). the service's config must
 * include rateLimitsConfig().
 */
@Module({})
export class RateLimitsModule {
  static forRoot(counts: Type<ThrottlerStorage>): DynamicModule {
    return {
      module: RateLimitsModule,
      imports: [
        ThrottlerModule.forRootAsync({
          imports: [{ module: RateLimitCountsModule, providers: [counts], exports: [counts] }],
          inject: [ConfigService, counts],
          useFactory: (config: ConfigService, storage: ThrottlerStorage) => {
            const limits = config.getOrThrow<RateLimitsConfig>('rateLimits');
            return {
              // Retry-After comes with the 429; no per-name X-RateLimit-* headers on every answer
              setHeaders: false,
              storage: new FailOpenStorage(storage),
              throttlers: RATE_LIMIT_NAMES.map((name) => ({ name, limit: limits[name].limit, ttl: limits[name].windowMs })),
            };
          },
        }),
      ],
    };
  }
}
