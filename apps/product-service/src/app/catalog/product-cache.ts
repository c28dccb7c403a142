import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '@ecom/datastores';
import type { ProductDocument } from './product.schema';

// a backstop only: writes replace the entry themselves, and an older version never replaces a newer one
const TTL_SECONDS = 60;
const keyOf = (id: string) => `product:${id}`;

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

/**
 * single product reads, cached in redis. every write stores its result (deleted products too, so
 * a racing read cannot bring them back); reads that miss store what they loaded.
 */
@Injectable()
export class ProductCache {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** the cached product; deleted ones come back with deletedAt set */
  async get(id: string): Promise<CachedProduct | null> {
    const hit = await this.redis.get(keyOf(id));
    return hit ? (JSON.parse(hit.slice(hit.indexOf('|') + 1)) as CachedProduct) : null;
  }

  async put(product: ProductDocument | CachedProduct): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { outbox, outboxPending, rev, stockOps, ...kept } = product as ProductDocument;
    await this.redis.eval(PUT_IF_NEWER, 1, keyOf(product._id), product.version, JSON.stringify(kept), TTL_SECONDS);
  }
}
