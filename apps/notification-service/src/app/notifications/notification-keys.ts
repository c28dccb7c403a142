import type { Redis } from 'ioredis';

/**
 * every redis name the service uses. ioredis puts its keyPrefix in front of keys it knows to be
 * keys (plain commands, the KEYS of a script); keys inside a script's ARGV and pub/sub channels
 * it never touches, so those are built here with the prefix already on (`absolute`, `channel`).
 */
export class NotificationKeys {
  constructor(readonly prefix: string) {}

  static of(redis: Redis): NotificationKeys {
    return new NotificationKeys(redis.options.keyPrefix ?? '');
  }

  /** sorted set: member = the notification's JSON, score = its createdAt in ms */
  feed(userId: string): string {
    return `user:${userId}:feed`;
  }

  /** sorted set: the members of feed not read yet, same scores; always a subset of feed */
  unread(userId: string): string {
    return `user:${userId}:unread`;
  }

  /** marker: this event has produced its notification */
  processed(eventId: string): string {
    return `event:${eventId}`;
  }

  /** a single-use stream token (by its sha-256) -> user id */
  streamToken(tokenHash: string): string {
    return `stream-token:${tokenHash}`;
  }

  absolute(key: string): string {
    return `${this.prefix}${key}`;
  }

  /** pub/sub channel of one user's new notifications, shared by every replica */
  channel(userId: string): string {
    return this.absolute(`stream:${userId}`);
  }
}
