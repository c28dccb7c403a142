import type { Redis } from 'ioredis';
import { Metrics } from '@ecom/observability';
import { ProductCache, type CachedProduct } from './product-cache';

// a redis stand-in that can go down; the script's version rule is what the integration tests cover
class FlakyRedis {
  down = false;
  // connected as far as the client knows: commands fail as they do when the connection dies under them
  readonly status = 'ready';
  readonly data = new Map<string, string>();

  // reads leave as MGETs (CoalescedGets)
  async mget(keys: string[]): Promise<(string | null)[]> {
    this.fail();
    return keys.map((key) => this.data.get(key) ?? null);
  }

  async eval(_script: string, _keys: number, key: string, version: number, json: string): Promise<number> {
    this.fail();
    this.data.set(key, `${version}|${json}`);
    return 1;
  }

  private fail(): void {
    if (this.down) throw new Error('Connection is closed.');
  }
}

const product = (version: number, stock: number) => ({ _id: 'p-1', version, stock, name: 'lamp' }) as unknown as CachedProduct;

describe('ProductCache while redis is down', () => {
  let redis: FlakyRedis;
  let cache: ProductCache;
  let metrics: Metrics;
  const reads = async (result: string) =>
    Number(
      (await metrics.registry.metrics()).match(
        new RegExp(`^cache_requests_total\\{cache="product",result="${result}"[^}]*\\} (\\d+)$`, 'm'),
      )?.[1] ?? 0,
    );

  beforeEach(() => {
    jest.useFakeTimers();
    redis = new FlakyRedis();
    metrics = new Metrics('product-test');
    cache = new ProductCache(redis as unknown as Redis, metrics);
  });
  afterEach(() => {
    cache.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('misses instead of failing, and a read-through fill is skipped', async () => {
    redis.down = true;
    await expect(cache.get('p-1')).resolves.toBeNull();
    await expect(cache.fill(product(1, 5))).resolves.toBeUndefined();
    expect(await reads('miss')).toBe(1);
  });

  it("keeps a write's result until redis takes it, and never serves the older entry meanwhile", async () => {
    await cache.put(product(1, 5));
    redis.down = true;
    await expect(cache.put(product(2, 4))).resolves.toBeUndefined();
    redis.down = false;
    // redis still holds version 1: bypassed until the repair lands
    await expect(cache.get('p-1')).resolves.toBeNull();
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(cache.get('p-1')).resolves.toMatchObject({ version: 2, stock: 4 });
    // the bypassed read is a miss, the repaired one a hit
    expect([await reads('miss'), await reads('hit')]).toEqual([1, 1]);
  });

  it('lets an error that is not an outage through', async () => {
    redis.mget = async () => {
      throw new Error("NOPERM User product has no permissions to run the 'mget' command");
    };
    await expect(cache.get('p-1')).rejects.toThrow('NOPERM');
  });
});

describe('ProductCache answers', () => {
  let redis: FlakyRedis;
  let cache: ProductCache;
  let renders: number;
  const render = (p: CachedProduct) => {
    renders++;
    return JSON.stringify({ id: p._id, stock: p.stock });
  };

  beforeEach(() => {
    redis = new FlakyRedis();
    cache = new ProductCache(redis as unknown as Redis, new Metrics('product-test'));
    renders = 0;
  });
  afterEach(() => cache.onApplicationShutdown());

  it('renders an entry once, and again once redis holds another one', async () => {
    await cache.put(product(1, 5));
    await expect(cache.answer('p-1', render)).resolves.toEqual({ json: '{"id":"p-1","stock":5}' });
    await expect(cache.answer('p-1', render)).resolves.toEqual({ json: '{"id":"p-1","stock":5}' });
    expect(renders).toBe(1);
    // another writer (another replica) replaced the entry: redis is read every time, so it shows at once
    redis.data.set('product:p-1', `2|${JSON.stringify({ _id: 'p-1', version: 2, stock: 4 })}`);
    await expect(cache.answer('p-1', render)).resolves.toEqual({ json: '{"id":"p-1","stock":4}' });
    expect(renders).toBe(2);
  });

  it('answers a deleted product as deleted, and a miss as null', async () => {
    await cache.put({ ...product(3, 0), deletedAt: new Date() } as CachedProduct);
    await expect(cache.answer('p-1', render)).resolves.toEqual({ deleted: true });
    await expect(cache.answer('p-2', render)).resolves.toBeNull();
    expect(renders).toBe(0);
  });

  it('keeps the renderings of the last thousand products, not more', async () => {
    for (let i = 0; i <= 1_000; i++) {
      await cache.put({ ...product(1, i), _id: `p-${i}` } as CachedProduct);
      await cache.answer(`p-${i}`, render);
    }
    // p-0 was rendered first and went when the 1,001st came; p-1000 is still there
    await cache.answer('p-1000', render);
    expect(renders).toBe(1_001);
    await cache.answer('p-0', render);
    expect(renders).toBe(1_002);
  });
});
