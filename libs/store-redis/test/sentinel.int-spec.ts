import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitFor } from '@ecom/testing';
import { redisClient } from '../src/lib/redis-client';

// REDIS_SENTINELS on real servers: a Sentinel (the stack's redis-server in sentinel mode) watches the
// stack's Redis, and a client configured with the Sentinel alone, its REDIS_URL host unreachable, finds
// the primary through it and reads and writes there

describe('redis through sentinels (real redis, real sentinel)', () => {
  const target = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const run = randomUUID().slice(0, 8);
  const master = `ecom-test-${run}`;
  const keyPrefix = `sentinel-${run}:`;
  let dir: string;
  let sentinel: ChildProcess;
  let sentinelPort: number;
  let direct: Redis;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecom-sentinel-'));
    sentinelPort = await freePort();
    // sentinel rewrites its config file as it learns, so it gets one of its own
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${master} ${target.hostname} ${target.port || 6379} 1`,
        '',
      ].join('\n'),
    );
    sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    const probe = new Redis({
      host: '127.0.0.1',
      port: sentinelPort,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    await waitFor('the sentinel to know the primary', async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.call('SENTINEL', 'get-master-addr-by-name', master)) !== null;
      } catch {
        probe.disconnect();
        return false;
      }
    });
    probe.disconnect();
    direct = new Redis(target.toString());
  });

  afterAll(async () => {
    await direct?.del(`${keyPrefix}greeting`);
    direct?.disconnect();
    sentinel?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the primary through the sentinel, with REDIS_URL giving only the database', async () => {
    const client = redisClient({
      url: 'redis://unreachable.invalid:1/0',
      keyPrefix,
      sentinels: { hosts: [{ host: '127.0.0.1', port: sentinelPort }], master },
    });
    try {
      await client.set('greeting', 'hello');
      expect(await client.get('greeting')).toBe('hello');
      // written on the stack's redis, the primary the sentinel named
      expect(await direct.get(`${keyPrefix}greeting`)).toBe('hello');
    } finally {
      client.disconnect();
    }
  });

  it('does not connect when the sentinels do not know the name (negative)', async () => {
    const client = redisClient({
      url: 'redis://unreachable.invalid:1/0',
      keyPrefix,
      sentinels: { hosts: [{ host: '127.0.0.1', port: sentinelPort }], master: `${master}-unknown` },
    });
    const errors: string[] = [];
    client.on('error', (e: Error) => errors.push(e.message));
    try {
      await waitFor('the client to report the unknown name', () =>
        errors.some((m) => /All sentinels are unreachable|could not|unknown|null/i.test(m)),
      );
      expect(client.status).not.toBe('ready');
    } finally {
      client.disconnect();
    }
  });
});
