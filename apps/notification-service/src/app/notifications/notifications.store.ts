import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { RedisConfig } from '@ecom/config';
import { confirmReplicated, REDIS, runEachOnceInRedis, type RedisCommand } from '@ecom/store-redis';
import { offsetOf, type PageQuery } from '@ecom/http';
import { createdAtMsOf, type Addressed, type Notification } from './notification';
import { NotificationKeys } from './notification-keys';
import type { NotificationsConfig } from './notifications.config';
import { NotificationView } from './notification.view';

// redelivery after this long is not expected (kafka's default retention); markers live at least as
// long, and at least as long as the notification they stand for
const MIN_MARKER_TTL_SECONDS = 7 * 24 * 3600;

// one page and both counts from one snapshot. KEYS: feed, unread. ARGV: first and last rank
const READ_PAGE = `
local items = redis.call('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2])
local unread = {}
for i, m in ipairs(items) do unread[i] = redis.call('ZSCORE', KEYS[2], m) and 1 or 0 end
return {items, unread, redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2])}`;

// the notification with this id (its score is in the id) leaves unread. -1: not in the feed;
// 0: read already; 1: read now. KEYS: feed, unread. ARGV: score, id
const MARK_READ = `
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])) do
  if cjson.decode(m).id == ARGV[2] then return redis.call('ZREM', KEYS[2], m) end
end
return -1`;

// what came after a notification, oldest first, with read flags: what a reconnecting stream missed.
// KEYS: feed, unread. ARGV: score of the last one seen
const SINCE = `
local items = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
local unread = {}
for i, m in ipairs(items) do unread[i] = redis.call('ZSCORE', KEYS[2], m) and 1 or 0 end
return {items, unread}`;

export interface NotificationsPage {
  readonly items: NotificationView[];
  readonly total: number;
  readonly unread: number;
}

export type MarkReadResult = 'read' | 'already-read' | 'not-found';

/**
 * the only place that touches notifications in redis. per user, two sorted sets scored by
 * createdAt: the feed (member = the notification's JSON) and unread (a subset of the feed's
 * members). no per-notification keys, so trimming the feed by rank trims everything.
 */
@Injectable()
export class NotificationsStore {
  readonly keys: NotificationKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService,
  ) {
    this.keys = NotificationKeys.of(redis);
  }

  /**
   * stores the notification and publishes it to live streams, at most once per event: the
   * writes, the trim to the cap, the ttl refresh, the publish and the event's marker run as one
   * script. false means the event was handled before and nothing happened.
   */
  async add(eventId: string, addressed: Addressed): Promise<boolean> {
    const [added] = await this.addAll([{ eventId, addressed }]);
    return added;
  }

  /**
   * add() for many events in one round trip; whether each was added (false: it was before). if it
   * throws, the ones already added are marked, and a retry of all adds only the rest
   */
  async addAll(items: readonly { readonly eventId: string; readonly addressed: Addressed }[]): Promise<boolean[]> {
    const { maxPerUser, ttlSeconds } = this.limits();
    const ttl = String(ttlSeconds);
    const added = await runEachOnceInRedis(
      this.redis,
      items.map(({ eventId, addressed: { userId, notification } }) => {
        const member = JSON.stringify(notification);
        const score = String(Date.parse(notification.createdAt));
        // inside the script: absolute names, every number as a string
        const feed = this.keys.absolute(this.keys.feed(userId));
        const unread = this.keys.absolute(this.keys.unread(userId));
        const commands: RedisCommand[] = [
          ['ZADD', feed, score, member],
          ['ZADD', unread, score, member],
          // keep the newest maxPerUser; an event older than all of them lands and leaves at once
          ['ZREMRANGEBYRANK', feed, '0', String(-(maxPerUser + 1))],
          // unread keeps only members still in the feed, with its own scores (weight 0 for the feed's)
          ['ZINTERSTORE', unread, '2', unread, feed, 'WEIGHTS', '1', '0'],
          ['EXPIRE', feed, ttl],
          ['EXPIRE', unread, ttl],
          ['PUBLISH', this.keys.channel(userId), member],
        ];
        return { markerKey: this.keys.processed(eventId), commands, markerTtlSeconds: Math.max(ttlSeconds, MIN_MARKER_TTL_SECONDS) };
      }),
    );
    // on the replicas too before the event counts as handled, also when it was added before (a retry)
    await this.replicated();
    return added;
  }

  async page(userId: string, q: PageQuery): Promise<NotificationsPage> {
    const first = offsetOf(q);
    const [members, unreadFlags, total, unread] = (await this.redis.eval(
      READ_PAGE,
      2,
      this.keys.feed(userId),
      this.keys.unread(userId),
      first,
      first + q.limit - 1,
    )) as [string[], number[], number, number];
    return { items: members.map((m, i) => NotificationView.of(JSON.parse(m) as Notification, unreadFlags[i] === 0)), total, unread };
  }

  /** marks one of the user's notifications read; doing it again changes nothing */
  async markRead(userId: string, id: string): Promise<MarkReadResult> {
    const score = createdAtMsOf(id);
    if (score === undefined) return 'not-found';
    const res = (await this.redis.eval(MARK_READ, 2, this.keys.feed(userId), this.keys.unread(userId), score, id)) as number;
    return res === 1 ? 'read' : res === 0 ? 'already-read' : 'not-found';
  }

  /** what the user got after the notification `lastId`, oldest first; empty for an id we never issued */
  async since(userId: string, lastId: string): Promise<NotificationView[]> {
    const score = createdAtMsOf(lastId);
    if (score === undefined) return [];
    const [members, unreadFlags] = (await this.redis.eval(SINCE, 2, this.keys.feed(userId), this.keys.unread(userId), score)) as [
      string[],
      number[],
    ];
    const items = members.map((m, i) => NotificationView.of(JSON.parse(m) as Notification, unreadFlags[i] === 0));
    // members of one score sort by their JSON, which starts with the id: those up to lastId were seen
    return items.filter((n) => Date.parse(n.createdAt) > score || n.id > lastId);
  }

  /** forgets everything the user had, on the replicas too: a failover must not bring it back */
  async dropUser(userId: string): Promise<void> {
    await this.redis.del(this.keys.feed(userId), this.keys.unread(userId));
    await this.replicated();
  }

  private limits(): NotificationsConfig {
    return this.config.getOrThrow<NotificationsConfig>('notifications');
  }

  // REDIS_WAIT_FOR_REPLICAS: what the consumers wrote is on the replicas before their events count as handled
  private replicated(): Promise<void> {
    return confirmReplicated(this.redis, this.config.getOrThrow<RedisConfig>('redis').replicaWait);
  }
}
