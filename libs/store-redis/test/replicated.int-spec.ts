import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { StoreUnavailable } from '@ecom/resilience';
import { freePort, waitFor } from '@ecom/testing';
import { redisClient } from '../src/lib/redis-client';
import { confirmReplicated } from '../src/lib/replicated';

// REDIS_WAIT_FOR_REPLICAS on real servers: a replica of the stack's Redis (the stack's redis-server,
// --replicaof) confirms a write, and once the replica is gone the same wait answers StoreUnavailable,
// so the consumer retries rather than count a write only the primary holds

describe('writes confirmed on a replica (real redis, real replica)', () => {
  const target = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  let dir: string;
  let replica: ChildProcess | undefined;
  let primary: Redis;
  let replicaClient: Redis;
  const key = `replicated-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecom-replica-'));
    const port = await freePort();
    replica = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--replicaof',
        target.hostname,
        target.port || '6379',
      ],
      { stdio: 'ignore' },
    );
    replicaClient = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await waitFor(
      'the replica to sync with the primary',
      async () => {
        if (replicaClient.status !== 'ready') await replicaClient.connect().catch(() => undefined);
        return /master_link_status:up/.test(await replicaClient.info('replication').catch(() => ''));
      },
      { timeoutMs: 60_000 },
    );
    // the services' own client (auto-pipelined): WAIT still covers the writes awaited before it
    primary = redisClient({ url: target.toString(), keyPrefix: '' });
  });

  afterAll(async () => {
    await primary?.del(key);
    primary?.disconnect();
    replicaClient?.disconnect();
    replica?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('returns once the replica has the write, which it then serves', async () => {
    await primary.set(key, 'kept');
    await confirmReplicated(primary, { replicas: 1, timeoutMs: 5_000 });
    expect(await replicaClient.get(key)).toBe('kept');
  });

  it('asks for nothing with 0 replicas, however many there are', async () => {
    await expect(confirmReplicated(primary, { replicas: 0, timeoutMs: 1 })).resolves.toBeUndefined();
  });

  it('answers StoreUnavailable when no replica confirms in time (negative)', async () => {
    const gone = new Promise((resolve) => replica?.once('exit', resolve));
    replica?.kill('SIGKILL');
    await gone;
    await primary.set(key, 'only on the primary');
    await expect(confirmReplicated(primary, { replicas: 1, timeoutMs: 300 })).rejects.toBeInstanceOf(StoreUnavailable);
  });
});
