import { Redis } from 'ioredis';
import { CoalescedGets } from '../src/lib/coalesced-gets';
import { redisClient } from '../src/lib/redis-client';

// the services' client on the stack's real redis: commands issued together leave as one pipeline, and
// each caller still gets its own reply, under the client's key prefix

describe('redisClient (real redis)', () => {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = `client-spec-${process.pid}-${Date.now()}:`;
  let client: Redis;
  let plain: Redis;

  beforeAll(() => {
    client = redisClient({ url, keyPrefix: prefix });
    plain = new Redis(url);
  });

  afterAll(async () => {
    const keys = await plain.keys(`${prefix}*`);
    if (keys.length > 0) await plain.del(...keys);
    client.disconnect();
    plain.disconnect();
  });

  it('batches the commands of one tick, and answers each caller with its own key', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => client.set(`k${i}`, `v${i}`)));
    const reads = Array.from({ length: 200 }, (_, i) => client.get(`k${i}`));
    // queued, not yet written: they leave together on the next tick
    expect(client.autoPipelineQueueSize).toBeGreaterThan(1);
    expect(await Promise.all(reads)).toEqual(Array.from({ length: 200 }, (_, i) => `v${i}`));
    // the prefix applies to pipelined commands too
    expect(await plain.get(`${prefix}k7`)).toBe('v7');
  });

  it("keeps one caller's error to that caller", async () => {
    await client.set('text', 'not a number');
    const [bad, good] = await Promise.allSettled([client.incr('text'), client.incr('counter')]);
    expect(bad.status).toBe('rejected');
    expect(good).toEqual({ status: 'fulfilled', value: 1 });
  });

  it('sends coalesced reads as MGETs past the auto-pipeline, under the key prefix, each answered with its own key', async () => {
    await Promise.all(Array.from({ length: 300 }, (_, i) => client.set(`c${i}`, `w${i}`)));
    const gets = new CoalescedGets(client);
    const reads = [...Array.from({ length: 300 }, (_, i) => gets.get(`c${i}`)), gets.get('absent')];
    // the first MGET went to the connection at once, not to the auto-pipeline's queue
    expect(client.autoPipelineQueueSize).toBe(0);
    expect(await Promise.all(reads)).toEqual([...Array.from({ length: 300 }, (_, i) => `w${i}`), null]);
  });
});
