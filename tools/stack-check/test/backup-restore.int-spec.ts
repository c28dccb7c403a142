import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@ecom/testing';
import { counts, fingerprints, type Fingerprints } from './backup-restore/fingerprints';
import { es, mongoClient, redisClient, type Ports } from './backup-restore/scratch-clients';
import { SEEDED, VOLATILE_KEYS, seed } from './backup-restore/seed';

// npm run backup and npm run restore, round trip: a scratch native stack of its own (a temporary
// STACK_HOME, free ports) is seeded, backed up, wiped (its data directory deleted), and restored
// from the backup directory alone. the test counts and fingerprints every store itself, before and
// after, rather than trusting the restore's own check. the stack the other tests use is not touched.

const ROOT = resolve(__dirname, '../../..');
const STACK = join(ROOT, 'tools/stack/stack.sh');
const SERVERS = ['postgres', 'redis', 'cassandra', 'elasticsearch', 'mongodb'];
const modeFile = join(ROOT, '.stack/run/mode');
const docker = existsSync(modeFile) && readFileSync(modeFile, 'utf8').trim() === 'docker';

/** runs a command from the repository root; resolves its exit code and output */
function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => done({ code, out }));
  });
}

const roundTrip = () => {
  let home: string;
  let ports: Ports;
  let env: NodeJS.ProcessEnv;
  let seeded: Fingerprints;
  const backupDir = () => join(home, 'backups', 'round-trip');
  const took: Record<string, string> = {};
  const timed = async <T>(what: string, work: () => Promise<T>) => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      took[what] = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    }
  };
  const stack = async (...args: string[]) => {
    const res = await sh('bash', [STACK, ...args], env, 600_000);
    if (res.code !== 0) throw new Error(`stack.sh ${args.join(' ')} failed (exit ${res.code}):\n${res.out}`);
  };

  const started = Date.now();

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'backup-restore-'));
    chmodSync(home, 0o755); // the servers run as the stack user when started by root
    const free = new Set<number>();
    while (free.size < 8) free.add(await freePort());
    const [pg, redis, cassandra, storage, jmx, elasticsearch, transport, mongodb] = [...free];
    ports = { postgres: pg, redis, cassandra, elasticsearch, mongodb };
    env = {
      ...process.env,
      STACK_HOME: home,
      POSTGRES_PORT: String(pg),
      POSTGRES_DB: 'ecom',
      REDIS_PORT: String(redis),
      CASSANDRA_PORT: String(cassandra),
      CASSANDRA_STORAGE_PORT: String(storage),
      CASSANDRA_JMX_PORT: String(jmx),
      CASSANDRA_HEAP: '512M',
      ELASTICSEARCH_PORT: String(elasticsearch),
      ELASTICSEARCH_TRANSPORT_PORT: String(transport),
      ELASTICSEARCH_HEAP: '384m',
      MONGODB_PORT: String(mongodb),
    };
    await timed('stack up', () => stack('up', ...SERVERS));
  }, 900_000);

  afterAll(async () => {
    if (env) await timed('stack down', () => sh('bash', [STACK, 'down'], env, 300_000));
    if (home) rmSync(home, { recursive: true, force: true });
    took['all'] = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    console.log(
      `backup-restore timings: ${Object.entries(took)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }, 300_000);

  it('backs up every store, and the manifest counts what was seeded', async () => {
    await timed('seed', () => seed(ports));
    seeded = await fingerprints(ports);
    expect(counts(seeded)).toEqual(SEEDED);

    const res = await timed('backup', () => sh('npm', ['run', '-s', 'backup', '--', `--to=${backupDir()}`], env, 600_000));
    if (res.code !== 0) console.log(res.out);
    expect(res.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(backupDir(), 'manifest.json'), 'utf8')).stores;
    expect(manifest.postgres.contents.databases.bk_orders.tables['public.orders'].rows).toBe(300);
    expect(manifest.postgres.contents.databases.bk_users.rows).toBe(200);
    expect(manifest.mongodb.contents.databases.bk_catalog.collections.products).toMatchObject({ documents: 250 });
    expect(manifest.mongodb.contents.databases.bk_catalog.collections.products.indexes).toContain('sku_unique {"sku":1} unique');
    expect(manifest.cassandra.contents.keyspaces.bk_analytics).toMatchObject({ rows: 430 });
    expect(manifest.elasticsearch.contents.indices['bk-products-v1']).toMatchObject({ documents: 220, aliases: ['bk-products'] });
    expect(manifest.redis.contents.databases).toMatchObject({ db0: { keys: 250 }, db2: { keys: 50 } });
    expect(manifest.redis.saved.volatileKeys).toBe(VOLATILE_KEYS);
  }, 600_000);

  it('restores a wiped stack from the backup directory alone, to the same counts and contents', async () => {
    await timed('wipe', async () => {
      await stack('down');
      rmSync(join(home, 'data'), { recursive: true, force: true });
      await stack('up', ...SERVERS);
    });
    expect(await fingerprints(ports)).toEqual({});

    const res = await timed('restore', () => sh('npm', ['run', '-s', 'restore', '--', backupDir()], env, 600_000));
    if (res.code !== 0) console.log(res.out);
    expect(res.code).toBe(0);
    expect(res.out).toContain('every count and checksum matches the backup');
    expect(await fingerprints(ports)).toEqual(seeded);
  }, 900_000);

  it('enforces the unique indexes and keeps the aliases and expiring keys', async () => {
    const client = await mongoClient(ports).connect();
    try {
      await expect(client.db('bk_catalog').collection('products').insertOne({ sku: 'sku-7' })).rejects.toMatchObject({ code: 11000 });
      await expect(client.db('bk_accounts').collection('users').insertOne({ email: 'user3@example.test' })).rejects.toMatchObject({
        code: 11000,
      });
    } finally {
      await client.close();
    }
    expect((await es(ports, 'GET', '/bk-products/_count')).count).toBe(220);
    const redis = redisClient(ports, 0);
    try {
      const ttls = await Promise.all(Array.from({ length: VOLATILE_KEYS }, (_, i) => redis.ttl(`ttl:${i}`)));
      expect(ttls.every((t) => t > 0 && t <= 3600)).toBe(true);
    } finally {
      redis.disconnect();
    }
  }, 60_000);

  it('leaves redis with its append-only file on: a restart keeps the restored data', async () => {
    const redis = redisClient(ports, 0);
    try {
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    } finally {
      redis.disconnect();
    }
    await stack('down', 'redis');
    await stack('up', 'redis');
    const now = await fingerprints(ports);
    expect([now['redis db0'], now['redis db2']]).toEqual([seeded['redis db0'], seeded['redis db2']]);
  }, 180_000);
};

// with docker the stack's data is in volumes: the commands say they are for the native stack
const refusesDocker = () =>
  it('refuses, naming the native stack', async () => {
    const res = await sh('npm', ['run', '-s', 'backup'], process.env, 120_000);
    expect(res.code).toBe(1);
    expect(res.out).toContain('npm run backup and restore work on the native stack only');
  });

describe(
  docker ? 'npm run backup (docker stack)' : 'npm run backup and restore, round trip on a scratch native stack',
  docker ? refusesDocker : roundTrip,
);
