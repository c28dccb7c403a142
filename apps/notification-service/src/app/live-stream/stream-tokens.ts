import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS } from '@ecom/store-redis';
import { NotificationKeys } from '../notifications/notification-keys';
import type { StreamTokenView } from './stream.dto';

export const STREAM_TOKEN_TTL_SECONDS = 60;
// 32 random bytes, base64url
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
// redis holds a hash of each token, so what it stores cannot be replayed as a token
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * short-lived, single-use tokens for clients that cannot send an authorization header on a
 * stream (the browser's EventSource): traded once for the user id they were issued to
 */
@Injectable()
export class StreamTokens {
  private readonly keys: NotificationKeys;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    this.keys = NotificationKeys.of(redis);
  }

  async issue(userId: string): Promise<StreamTokenView> {
    const token = randomBytes(32).toString('base64url');
    await this.redis.set(this.keys.streamToken(hashOf(token)), userId, 'EX', STREAM_TOKEN_TTL_SECONDS);
    return { token, expiresIn: STREAM_TOKEN_TTL_SECONDS };
  }

  /** the user the token was issued to, or undefined; either way the token is gone (GETDEL) */
  async redeem(token: string): Promise<string | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    return (await this.redis.getdel(this.keys.streamToken(hashOf(token)))) ?? undefined;
  }
}
