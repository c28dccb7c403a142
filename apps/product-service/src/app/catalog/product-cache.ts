import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '@ecom/datastores';
import type { ProductDocument } from './product.schema';

// short, so a read that raced a write and cached the old version cannot stay wrong for long
const TTL_SECONDS = 60;
const keyOf = (id: string) => `product:${id}`;

/** single product reads, cached in redis; every write drops the entry */
@Injectable()
export class ProductCache {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async get(id: string): Promise<ProductDocument | null> {
    const hit = await this.redis.get(keyOf(id));
    return hit ? (JSON.parse(hit) as ProductDocument) : null;
  }

  async put(product: ProductDocument): Promise<void> {
    await this.redis.set(keyOf(product._id), JSON.stringify(product), 'EX', TTL_SECONDS);
  }

  async drop(id: string): Promise<void> {
    await this.redis.del(keyOf(id));
  }
}
