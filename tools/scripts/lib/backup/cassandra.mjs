// cassandra: every keyspace but the system ones. its schema as the node describes it
// (DESCRIBE KEYSPACE ... WITH INTERNALS: table ids and dropped columns included, which the SSTables
// need) in <keyspace>/schema.cql, and a `nodetool snapshot` of its tables, copied to
// <keyspace>/<table>/. a row's text is the node's SELECT JSON of it. restore drops each keyspace of the
// backup, creates it again from schema.cql and loads the SSTables with `nodetool import` (which builds
// the secondary indexes again).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import { RowDigest, group, steadySnapshot } from './contents.mjs';
import { giveToStack, stackSh } from './native-stack.mjs';

const shape = { groups: 'keyspaces', items: 'tables', unit: 'rows' };
const SCHEMA = 'schema.cql';
const isSystem = (keyspace) => /^system(_|$)/.test(keyspace);
const quote = (name) => `"${name.replace(/"/g, '""')}"`;
// the files of a snapshot that are not SSTable components
const NOT_SSTABLE = new Set(['manifest.json', 'schema.cql']);

async function withClient(stack, work) {
  // the stack's node runs SimpleSnitch, whose only datacenter is datacenter1
  const client = new cassandra.Client({
    contactPoints: [`${stack.host}:${stack.settings.CASSANDRA_PORT}`],
    localDataCenter: 'datacenter1',
    socketOptions: { readTimeout: 60_000 },
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.shutdown();
  }
}

const keyspaces = async (client) =>
  (await client.execute('select keyspace_name from system_schema.keyspaces')).rows
    .map((r) => r.keyspace_name)
    .filter((k) => !isSystem(k))
    .sort();

const tables = async (client, keyspace) =>
  (await client.execute('select table_name from system_schema.tables where keyspace_name = ?', [keyspace], { prepare: true })).rows
    .map((r) => r.table_name)
    .sort();

async function digestKeyspace(client, keyspace) {
  const items = {};
  for (const table of await tables(client, keyspace)) {
    const digest = new RowDigest();
    const rows = await client.execute(`select json * from ${quote(keyspace)}.${quote(table)}`, [], { fetchSize: 1000 });
    for await (const row of rows) digest.add(row['[json]']);
    items[table] = digest.result(shape.unit);
  }
  return group(shape, items);
}

async function inventory(stack, names) {
  return withClient(stack, async (client) => {
    const out = {};
    const present = await keyspaces(client);
    for (const ks of names ?? present) if (present.includes(ks)) out[ks] = await digestKeyspace(client, ks);
    return { [shape.groups]: out };
  });
}

/** the snapshot's directories: <data>/<keyspace>/<table>-<id>/snapshots/<tag>, by table name */
function snapshotDirs(stack, keyspace, tag) {
  const ksDir = join(stack.settings.CASSANDRA_DIR, 'data', keyspace);
  if (!existsSync(ksDir)) return [];
  return readdirSync(ksDir)
    .map((d) => ({ table: d.replace(/-[0-9a-f]{32}$/, ''), dir: join(ksDir, d, 'snapshots', tag) }))
    .filter((s) => existsSync(s.dir));
}

/** copies a directory's SSTable components (no subdirectories: the secondary indexes are rebuilt) */
function copyComponents(from, to) {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) {
    if (NOT_SSTABLE.has(f) || !statSync(join(from, f)).isFile()) continue;
    cpSync(join(from, f), join(to, f));
  }
}

async function backup(stack, dir, tag) {
  return withClient(stack, async (client) => {
    const names = await keyspaces(client);
    for (const ks of names) {
      const { rows } = await client.execute(`describe keyspace ${quote(ks)} with internals`);
      mkdirSync(join(dir, ks), { recursive: true });
      writeFileSync(join(dir, ks, SCHEMA), `${rows.map((r) => r.create_statement).join('\n\n')}\n`);
    }
    const { contents } = names.length
      ? await steadySnapshot('cassandra', {
          inventory: () => inventory(stack, names),
          // flushes the memtables, then hard-links every SSTable of the keyspaces
          take: () => stackSh(['nodetool', 'snapshot', '-t', tag, '--', ...names]),
          discard: () => stackSh(['nodetool', 'clearsnapshot', '-t', tag, '--', ...names]),
        })
      : { contents: { [shape.groups]: {} } };
    for (const ks of names) for (const s of snapshotDirs(stack, ks, tag)) copyComponents(s.dir, join(dir, ks, s.table));
    if (names.length) await stackSh(['nodetool', 'clearsnapshot', '-t', tag, '--', ...names]);
    const version = (await client.execute('select release_version from system.local')).rows[0].release_version;
    return { version, saved: { layout: `<keyspace>/${SCHEMA} and <keyspace>/<table>/ (SSTables)` }, contents };
  });
}

/** DESCRIBE's statements: each ends a line with ";" and the next begins a line with CREATE or ALTER */
const statements = (cql) =>
  cql
    .split(/;\s*\n+(?=(?:CREATE|ALTER) )/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter(Boolean);

async function restore(stack, dir, entry, tag) {
  // the staging directory is moved from by the node, so it sits in its data directory, owned by it
  const staging = join(stack.settings.CASSANDRA_DIR, `restore-${tag}`);
  await withClient(stack, async (client) => {
    for (const ks of Object.keys(entry.contents[shape.groups])) {
      await client.execute(`drop keyspace if exists ${quote(ks)}`);
      for (const cql of statements(readFileSync(join(dir, ks, SCHEMA), 'utf8'))) await client.execute(cql);
      for (const table of readdirSync(join(dir, ks)).filter((t) => statSync(join(dir, ks, t)).isDirectory())) {
        const from = join(staging, ks, table);
        copyComponents(join(dir, ks, table), from);
        await giveToStack(stack, staging);
        // a directory it could not load is named in its output (and in the node's log)
        const { stdout, stderr } = await stackSh(['nodetool', 'import', '--', ks, table, from]);
        if (/failed to import/i.test(`${stdout}${stderr}`))
          throw new Error(`cassandra: nodetool import ${ks} ${table}:\n${stdout}${stderr}`);
      }
    }
  });
  rmSync(staging, { recursive: true, force: true });
}

export default { name: 'cassandra', shape, backup, restore, inventory };
