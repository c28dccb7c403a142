import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { REDIS, ensureRedisConnected } from '@ecom/datastores';
import { emailKeyOf } from '../accounts/user.schema';
import type { LoginLimitsConfig } from './login-limits.config';

// fixed windows in redis, so the limits hold across replicas. one script: the count and its expiry
// are set together, and a key never lives without a ttl
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

export class TooManyAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many login attempts; try again in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * every attempt counts against the client ip; only failures count against the account, so a
 * user who knows their password is never locked out by their own logins. over a limit is a 429.
 * without redis the limits cannot be checked, so login fails closed: 503 at once (StoreUnavailable).
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService,
  ) {}

  async attempt(ip: string, email: string): Promise<void> {
    ensureRedisConnected(this.redis);
    const limits = this.limits();
    const [count, ttlMs] = await this.hit(`login:ip:${ip}`, 60_000);
    if (count > limits.perIpPerMinute) throw new TooManyAttempts(seconds(ttlMs));
    const failures = Number(await this.redis.get(accountKey(email)));
    if (failures >= limits.perAccountPer15Minutes) throw new TooManyAttempts(seconds(await this.redis.pttl(accountKey(email))));
  }

  async failed(email: string): Promise<void> {
    await this.hit(accountKey(email), 15 * 60_000);
  }

  private limits(): LoginLimitsConfig {
    return this.config.getOrThrow<LoginLimitsConfig>('loginLimits');
  }

  private async hit(key: string, windowMs: number): Promise<[number, number]> {
    return (await this.redis.eval(HIT, 1, key, windowMs)) as [number, number];
  }
}

const accountKey = (email: string) => `login:account:${emailKeyOf(email)}`;
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
