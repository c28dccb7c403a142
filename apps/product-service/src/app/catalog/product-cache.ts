import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CoalescedGets, REDIS, ensureRedisConnected } from '@ecom/store-redis';
import { isTransient } from '@ecom/resilience';
import { Metrics } from '@ecom/observability';
import { Counter } from 'prom-client';
import type { ProductDocument } from './product.schema';

// a backstop only: writes replace the entry themselves, and an older version never replaces a newer one
const TTL_SECONDS = 60;
const keyOf = (id: string) => `product:${id}`;
// a write whose result could not reach redis keeps trying, so the entry it replaces cannot
// outlive the outage on this replica (other replicas' readers wait at most TTL_SECONDS)
const REPAIR_EVERY_MS = 1_000;

// entries are "<version>|<json>". a read that raced a write and loaded the old version cannot
// overwrite what the write cached, so a stale product is never served after its write returned.
const PUT_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local v = tonumber(string.match(current, '^(%d+)|'))
  if v and v >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
return 1`;

export type CachedProduct = Omit<ProductDocument, 'outbox' | 'outboxPending' | 'rev' | 'stockOps'>;

/** a cached product as a read answers it: its view's JSON, or that it was deleted */
export type CachedAnswer = { readonly json: string } | { readonly deleted: true };

// answers rendered from entries, per product: a read whose entry is the one rendered before (the same
// bytes) answers without parsing and serialising it again. the oldest rendering goes first past this
const RENDERED_MAX = 1_000;

/**
 * single product reads, cached in redis. every write stores its result (deleted products too, so
 * a racing read cannot bring them back); reads that miss store what they loaded.
 * the cache is not a dependency: while redis is down, reads go to mongodb and writes succeed,
 * without waiting for the client's reconnect attempts.
 */
@Injectable()
export class ProductCache implements OnApplicationShutdown {
  private readonly log = new Logger(ProductCache.name);
  /** writes' results that redis has not taken yet, newest per product */
  private readonly unsynced = new Map<string, ProductDocument | CachedProduct>();
  private repair?: NodeJS.Timeout;
  private readonly rendered = new Map<string, { readonly entry: string; readonly answer: CachedAnswer }>();
  private readonly hits: Counter.Internal;
  private readonly misses: Counter.Internal;
  /** the hot read's GETs, one MGET per round trip */
  private readonly gets: CoalescedGets;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    metrics: Metrics,
  ) {
    const reads = new Counter({
      name: 'cache_requests_total',
      help: 'reads of a cache, by result (hit, miss); a read while redis is down is a miss',
      labelNames: ['cache', 'result'],
      registers: [metrics.registry],
    });
    this.hits = reads.labels({ cache: 'product', result: 'hit' });
    this.misses = reads.labels({ cache: 'product', result: 'miss' });
    this.gets = new CoalescedGets(redis);
  }

  /** the cached product (deleted ones come back with deletedAt set); null on a miss or while redis is down */
  async get(id: string): Promise<CachedProduct | null> {
    const entry = await this.entry(id);
    return entry === null ? null : parse(entry);
  }

  /**
   * the cached product as `render` answers it, or that it was deleted; null on a miss or while redis is
   * down. redis is read every time, as by get(); only the rendering of an entry seen before is skipped
   */
  async answer(id: string, render: (product: CachedProduct) => string): Promise<CachedAnswer | null> {
    const entry = await this.entry(id);
    if (entry === null) return null;
    const seen = this.rendered.get(id);
    if (seen?.entry === entry) return seen.answer;
    const product = parse(entry);
    const answer: CachedAnswer = product.deletedAt ? { deleted: true } : { json: render(product) };
    this.rendered.delete(id);
    this.rendered.set(id, { entry, answer });
    if (this.rendered.size > RENDERED_MAX) this.rendered.delete(this.rendered.keys().next().value as string);
    return answer;
  }

  /** the entry as redis holds it ("<version>|<json>"), counted as a hit or a miss */
  private async entry(id: string): Promise<string | null> {
    const found = await this.read(id);
    (found ? this.hits : this.misses).inc();
    return found;
  }

  private async read(id: string): Promise<string | null> {
    if (this.unsynced.has(id)) return null; // redis may hold an older version
    try {
      ensureRedisConnected(this.redis);
      return await this.gets.get(keyOf(id));
    } catch (e) {
      if (!isTransient(e)) throw e;
      return null;
    }
  }

  /** a read's result: best effort */
  async fill(product: ProductDocument | CachedProduct): Promise<void> {
    await this.store(product).catch((e: unknown) => {
      if (!isTransient(e)) throw e;
    });
  }

  /** a write's result: must replace what redis holds, now or once redis is back */
  async put(product: ProductDocument | CachedProduct): Promise<void> {
    try {
      await this.store(product);
    } catch (e) {
      if (!isTransient(e)) throw e;
      this.unsynced.set(product._id, product);
      this.log.warn(
        { productId: product._id, err: (e as Error).message },
        'redis is unavailable; the cache entry is replaced once it is back',
      );
      this.repair ??= setInterval(() => void this.repairAll(), REPAIR_EVERY_MS);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.repair);
  }

  private async repairAll(): Promise<void> {
    for (const [id, product] of this.unsynced) {
      try {
        await this.store(product);
        if (this.unsynced.get(id) === product) this.unsynced.delete(id);
      } catch {
        return; // still down: next round
      }
    }
    if (this.unsynced.size === 0) {
      clearInterval(this.repair);
      this.repair = undefined;
      this.log.log('redis is back; cache entries written during the outage are replaced');
    }
  }

  private async store(product: ProductDocument | CachedProduct): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { outbox, outboxPending, rev, stockOps, ...kept } = product as ProductDocument;
    ensureRedisConnected(this.redis);
    await this.redis.eval(PUT_IF_NEWER, 1, keyOf(product._id), product.version, JSON.stringify(kept), TTL_SECONDS);
  }
}

const parse = (entry: string) => JSON.parse(entry.slice(entry.indexOf('|') + 1)) as CachedProduct;
