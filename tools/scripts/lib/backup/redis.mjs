// redis: the whole dataset as an RDB file (BGSAVE, then dump.rdb copied). a key's text is its type,
// name and value (base64, members sorted where redis does not order them); keys with a time to live
// are counted apart and not compared, since they may expire before a restore is checked.
// redis reads a dump.rdb at start-up only with the append-only file off (with it on, an empty
// append-only file is created instead). so restore stops redis, puts dump.rdb alone in its directory,
// starts it with REDIS_APPENDONLY=no, and turns the append-only file on at run time, which rewrites it
// from the loaded data: from then on redis runs as before, and a restart loads that file.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RowDigest, steadySnapshot } from './contents.mjs';
import { giveToStack, sleep, stackSh } from './native-stack.mjs';

const shape = { groups: 'databases', items: null, unit: 'keys' };
const RDB = 'dump.rdb';
const SCAN = 1000;

const connect = (stack, db = 0) => new Redis({ host: stack.host, port: Number(stack.settings.REDIS_PORT), db, maxRetriesPerRequest: 2 });

async function withClient(stack, db, work) {
  const redis = connect(stack, db);
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/** INFO <section> as a map */
const info = async (redis, section) =>
  new Map(
    (await redis.info(section))
      .split('\r\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );

const b64 = (buf) => Buffer.from(buf).toString('base64');
const sortedPairs = (flat) => {
  const pairs = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push(`${b64(flat[i])}=${b64(flat[i + 1])}`);
  return pairs.sort();
};

/** a key's value as text, by type */
async function valueText(redis, key, type) {
  switch (type) {
    case 'string':
      return b64(await redis.getBuffer(key));
    case 'list':
      return (await redis.lrangeBuffer(key, 0, -1)).map(b64).join(' ');
    case 'set':
      return (await redis.smembersBuffer(key)).map(b64).sort().join(' ');
    case 'zset':
      return (await redis.zrangeBuffer(key, 0, -1, 'WITHSCORES')).map(b64).join(' ');
    case 'hash':
      return sortedPairs(await redis.callBuffer('HGETALL', key)).join(' ');
    default:
      // streams and module types: their serialized form
      return b64(await redis.dumpBuffer(key));
  }
}

async function digestDatabase(redis) {
  const digest = new RowDigest();
  let volatile = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scanBuffer(cursor, 'COUNT', SCAN);
    cursor = String(next);
    for (const key of keys) {
      const [type, ttl] = await Promise.all([redis.type(key), redis.pttl(key)]);
      if (type === 'none') continue; // gone meanwhile
      if (ttl >= 0) {
        volatile++;
        continue;
      }
      digest.add(`${type} ${b64(key)} ${await valueText(redis, key, type)}`);
    }
  } while (cursor !== '0');
  return { ...digest.result(shape.unit), volatile };
}

async function inventory(stack, names) {
  const dbs = await withClient(stack, 0, async (redis) => [...(await info(redis, 'keyspace')).keys()].filter((k) => /^db\d+$/.test(k)));
  const out = {};
  for (const db of (names ?? dbs).filter((d) => dbs.includes(d))) {
    const { volatile: _volatile, ...record } = await withClient(stack, Number(db.slice(2)), digestDatabase);
    out[db] = record;
  }
  return { [shape.groups]: out };
}

/** keys with a time to live, per database: reported, not compared */
const volatileKeys = async (stack) => {
  const keyspace = await withClient(stack, 0, (redis) => info(redis, 'keyspace'));
  return [...keyspace.values()].reduce((n, v) => n + Number(/expires=(\d+)/.exec(v)?.[1] ?? 0), 0);
};

/** waits until INFO persistence satisfies `done` */
async function waitPersistence(redis, what, done, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = await info(redis, 'persistence');
    if (done(p)) return p;
    if (Date.now() > until) throw new Error(`redis: ${what} did not finish in ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

async function backup(stack, dir) {
  mkdirSync(dir, { recursive: true });
  return withClient(stack, 0, async (redis) => {
    const [, from] = await redis.config('GET', 'dir');
    const [, file] = await redis.config('GET', 'dbfilename');
    const { contents } = await steadySnapshot('redis', {
      inventory: () => inventory(stack),
      take: async () => {
        const saves = Number((await info(redis, 'persistence')).get('rdb_saves'));
        // SCHEDULE: an append-only rewrite in progress delays the save instead of refusing it
        await redis.bgsave('SCHEDULE');
        const p = await waitPersistence(
          redis,
          'BGSAVE',
          (i) => Number(i.get('rdb_saves')) > saves && i.get('rdb_bgsave_in_progress') === '0',
        );
        if (p.get('rdb_last_bgsave_status') !== 'ok') throw new Error('redis: BGSAVE failed; see its log');
        copyFileSync(join(String(from), String(file)), join(dir, RDB));
      },
      discard: async () => undefined,
    });
    const version = (await info(redis, 'server')).get('redis_version');
    return { version, saved: { rdb: RDB, volatileKeys: await volatileKeys(stack) }, contents };
  });
}

async function restore(stack, dir, entry) {
  const target = stack.settings.REDIS_DIR;
  await stackSh(['down', 'redis']);
  for (const f of readdirSync(target)) rmSync(join(target, f), { recursive: true, force: true });
  copyFileSync(join(dir, entry.saved.rdb), join(target, RDB));
  await giveToStack(stack, target);
  await stackSh(['up', 'redis'], { REDIS_APPENDONLY: 'no' });
  await withClient(stack, 0, async (redis) => {
    await redis.config('SET', 'appendonly', 'yes');
    const p = await waitPersistence(
      redis,
      'the append-only rewrite',
      (i) => i.get('aof_enabled') === '1' && i.get('aof_rewrite_in_progress') === '0' && i.get('aof_rewrite_scheduled') === '0',
    );
    if (p.get('aof_last_bgrewrite_status') !== 'ok') throw new Error('redis: rewriting the append-only file failed; see its log');
  });
  // the data is in the append-only file now; a dump.rdb left beside it would only go stale
  rmSync(join(target, RDB), { force: true });
}

export default { name: 'redis', shape, backup, restore, inventory };
