import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const ALLOWED: ThrottlerStorageRecord = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };

/**
 * a rate limit is a guard against abuse, not a reason to refuse a shopper: while the store of the
 * counts is unreachable every request is let through, and the route answers as its own stores allow.
 * the outage is logged once when it starts and once when the counts are back.
 */
export class FailOpenStorage implements ThrottlerStorage {
  private readonly log = new Logger('RateLimits');
  private failing = false;

  constructor(private readonly counts: ThrottlerStorage) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    try {
      const record = await this.counts.increment(key, ttl, limit, blockDuration, name);
      if (this.failing) {
        this.failing = false;
        this.log.log('rate limits are counted again');
      }
      return record;
    } catch (e) {
      if (!this.failing) {
        this.failing = true;
        this.log.warn({ err: (e as Error).message }, 'the store of the rate limits is unreachable: requests pass uncounted until it is back');
      }
      return ALLOWED;
    }
  }
}
