import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { REDIS, ensureRedisConnected } from '@ecom/store-redis';
import { accountKeyOf, addressKeyOf, backoffSchedule, retryAfterSeconds } from './login-backoff';
import type { LoginLimitsConfig } from './login-limits.config';

// three counters of failed logins, in redis so every replica sees them, each a hash with the
// failures remembered (n) and, once past its free failures, when the next attempt may come (until):
//   pair:    one account from one address. slows a guesser down without touching the owner, who
//            logs in from elsewhere; a successful login clears it
//   address: one address, whatever the accounts (credential stuffing)
//   account: one account, whatever the addresses. never blocks: past a threshold the account is
//            under attack and the login challenge hook is asked
// an attempt counts as a failure from the moment it is let through (so parallel attempts cannot all
// pass before the first failure is written), and is taken back when the password was right. the
// times are redis's own clock. every change is one script, so a counter is never half-updated, and
// every key has a ttl.

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function waitOf(key)
  local u = tonumber(redis.call('HGET', key, 'until') or '0')
  if u > now then return u - now end
  return 0
end`;

// KEYS: pair, address, account. returns { ms to wait, the account's failures }
const PEEK = `${NOW}
return {math.max(waitOf(KEYS[1]), waitOf(KEYS[2])), tonumber(redis.call('HGET', KEYS[3], 'n') or '0')}`;

// KEYS: pair, address, account. ARGV: memory ms, free failures of pair, of address, then the waits.
// a waiting attempt is not counted. returns { 0, ms to wait } or { 1, pair's until, address's until,
// the account's failures }, an until 0 when this attempt set none
const COUNT = `${NOW}
local wait = math.max(waitOf(KEYS[1]), waitOf(KEYS[2]))
if wait > 0 then return {0, wait} end
local memory = tonumber(ARGV[1])
local steps = #ARGV - 3
local set = {0, 0}
for i = 1, 2 do
  local free = tonumber(ARGV[1 + i])
  local n = redis.call('HINCRBY', KEYS[i], 'n', 1)
  local ttl = memory
  if n >= free then
    local delay = tonumber(ARGV[3 + math.min(n - free + 1, steps)])
    set[i] = now + delay
    redis.call('HSET', KEYS[i], 'until', string.format('%.0f', set[i]))
    if delay > ttl then ttl = delay end
  end
  redis.call('PEXPIRE', KEYS[i], ttl)
end
local failures = redis.call('HINCRBY', KEYS[3], 'n', 1)
redis.call('PEXPIRE', KEYS[3], memory)
return {1, set[1], set[2], failures}`;

// KEYS: pair, address, account. ARGV: 'success' or 'undone', pair's until, address's until, as COUNT
// returned them. takes this attempt's failure back; a success clears the pair
const TAKE_BACK = `
local function takeBack(key, ours)
  if redis.call('EXISTS', key) == 0 then return end
  local n = redis.call('HINCRBY', key, 'n', -1)
  if ours ~= '0' and redis.call('HGET', key, 'until') == ours then redis.call('HDEL', key, 'until') end
  if n <= 0 and redis.call('HEXISTS', key, 'until') == 0 then redis.call('DEL', key) end
end
if ARGV[1] == 'success' then redis.call('DEL', KEYS[1]) else takeBack(KEYS[1], ARGV[2]) end
takeBack(KEYS[2], ARGV[3])
takeBack(KEYS[3], '0')
return 1`;

export class TooManyAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed logins; try again in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** one login attempt let through and counted as a failure until settled */
export interface CountedAttempt {
  readonly keys: readonly [string, string, string];
  readonly pairUntil: number;
  readonly addressUntil: number;
}

/** the counters' keys of one account and address; an account's keys never meet another's */
export function loginLimitKeys(email: string, ip: string | undefined): [pair: string, address: string, account: string] {
  const account = accountKeyOf(email);
  const address = addressKeyOf(ip);
  return [`login-fail:pair:${account}:${address}`, `login-fail:address:${address}`, `login-fail:account:${account}`];
}

/**
 * without redis the limits cannot be checked, so login fails closed: 503 at once (StoreUnavailable),
 * before anything is counted.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly log = new Logger(LoginRateLimiter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService,
  ) {}

  /** 429 while the pair or the address must wait; otherwise the account's failures, and whether it is under attack */
  async peek(email: string, ip: string): Promise<{ failures: number; underAttack: boolean }> {
    ensureRedisConnected(this.redis);
    const [waitMs, failures] = (await this.redis.eval(PEEK, 3, ...loginLimitKeys(email, ip))) as [number, number];
    if (waitMs > 0) throw new TooManyAttempts(retryAfterSeconds(waitMs));
    return { failures, underAttack: failures >= this.limits().accountUnderAttackAfter };
  }

  /** counts the attempt as a failure of all three counters, or 429 if it must wait (then nothing is counted) */
  async count(email: string, ip: string): Promise<CountedAttempt> {
    ensureRedisConnected(this.redis);
    const limits = this.limits();
    const keys = loginLimitKeys(email, ip);
    const result = (await this.redis.eval(
      COUNT,
      3,
      ...keys,
      limits.memoryMs,
      limits.freeFailuresPerAccountAndAddress,
      limits.freeFailuresPerAddress,
      ...backoffSchedule(limits.backoff),
    )) as number[];
    if (result[0] === 0) throw new TooManyAttempts(retryAfterSeconds(result[1]));
    if (result[3] === limits.accountUnderAttackAfter)
      this.log.warn({ account: keys[2] }, `${result[3]} failed logins of one account: under attack, the login challenge hook is asked`);
    return { keys, pairUntil: result[1], addressUntil: result[2] };
  }

  /** the password was right: the attempt was no failure, and the pair starts over */
  succeeded(attempt: CountedAttempt): Promise<void> {
    return this.takeBack(attempt, 'success');
  }

  /** the attempt could not be judged (a store failed): it counts for nothing */
  undo(attempt: CountedAttempt): Promise<void> {
    return this.takeBack(attempt, 'undone');
  }

  private async takeBack(attempt: CountedAttempt, outcome: 'success' | 'undone'): Promise<void> {
    // a login is not refused for this: the counts it leaves behind only err on the safe side
    try {
      ensureRedisConnected(this.redis);
      await this.redis.eval(TAKE_BACK, 3, ...attempt.keys, outcome, String(attempt.pairUntil), String(attempt.addressUntil));
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'could not take a login attempt back from its counters');
    }
  }

  private limits(): LoginLimitsConfig {
    return this.config.getOrThrow<LoginLimitsConfig>('loginLimits');
  }
}
