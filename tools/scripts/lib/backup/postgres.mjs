// postgresql: pg_dump -Fc of every database but the templates and `postgres`, and the roles
// (pg_dumpall --globals-only, without passwords). the checksums are computed in the snapshot pg_dump
// dumps (an exported snapshot), so they describe exactly what the dump holds, writers or not.
// restore drops each database of the backup and creates it again from its dump (pg_restore --create):
// --clean alone would keep tables created since, and the next migration would trip over them.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import pg from 'pg';
import { group } from './contents.mjs';
import { exec } from './native-stack.mjs';

const shape = { groups: 'databases', items: 'tables', unit: 'rows' };
const GLOBALS = 'globals.sql';
const fileOf = (db) => `${encodeURIComponent(db)}.dump`;

const connect = async (stack, database) => {
  const { POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD } = stack.settings;
  const client = new pg.Client({
    host: stack.host,
    port: Number(POSTGRES_PORT),
    user: POSTGRES_USER,
    password: POSTGRES_PASSWORD,
    database,
  });
  await client.connect();
  return client;
};

/** the client tools' connection flags and password */
const cli = (stack) => ({
  args: ['-h', stack.host, '-p', stack.settings.POSTGRES_PORT, '-U', stack.settings.POSTGRES_USER],
  env: { ...process.env, PGPASSWORD: stack.settings.POSTGRES_PASSWORD },
  bin: (name) => join(stack.settings.POSTGRES_BIN, name),
});

async function databases(stack) {
  const client = await connect(stack, 'postgres');
  try {
    const { rows } = await client.query(`select datname from pg_database where not datistemplate and datname <> 'postgres' order by 1`);
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

/** the database's record: a row's text is its row literal (t::text), digested in the server */
async function digestTables(client) {
  const { rows: tables } = await client.query(`
    select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname !~ '^pg_(toast|temp)' order by 1, 2`);
  const items = {};
  for (const t of tables) {
    const rel = `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.name)}`;
    const { rows } = await client.query(`
      select count(*)::int as rows,
             encode(sha256(convert_to(coalesce(string_agg(h, E'\\n' order by h collate "C"), ''), 'UTF8')), 'hex') as checksum
        from (select encode(sha256(convert_to(t::text, 'UTF8')), 'hex') as h from ${rel} t) d`);
    items[`${t.schema}.${t.name}`] = rows[0];
  }
  return group(shape, items);
}

async function inventory(stack, names) {
  const out = {};
  for (const db of names ?? (await databases(stack))) {
    const client = await connect(stack, db).catch(() => null);
    if (!client) continue; // a database of the backup that is not there: reported missing
    try {
      out[db] = await digestTables(client);
    } finally {
      await client.end();
    }
  }
  return { [shape.groups]: out };
}

async function backup(stack, dir) {
  mkdirSync(dir, { recursive: true });
  const { args, env, bin } = cli(stack);
  await exec(bin('pg_dumpall'), [...args, '--globals-only', '--no-role-passwords', '-f', join(dir, GLOBALS)], { env });
  const out = {};
  for (const db of await databases(stack)) {
    const client = await connect(stack, db);
    try {
      // the first statement fixes the transaction's snapshot; pg_dump shares it while it is open
      await client.query('begin isolation level repeatable read read only');
      const { rows } = await client.query('select pg_export_snapshot() as snapshot');
      out[db] = await digestTables(client);
      await exec(bin('pg_dump'), [...args, '-d', db, '-Fc', `--snapshot=${rows[0].snapshot}`, '-f', join(dir, fileOf(db))], { env });
      await client.query('commit');
    } finally {
      await client.end();
    }
  }
  const version = await serverVersion(stack);
  return { version, saved: { globals: GLOBALS, dumps: Object.keys(out).map(fileOf) }, contents: { [shape.groups]: out } };
}

async function restore(stack, dir, entry) {
  const { args, env, bin } = cli(stack);
  // roles first: the dumps name their owners. roles that exist already stay as they are
  const { stderr } = await exec(bin('psql'), [...args, '-d', 'postgres', '-X', '-q', '-f', join(dir, entry.saved.globals)], { env });
  const errors = stderr.split('\n').filter((l) => /ERROR:/.test(l) && !/already exists/.test(l));
  if (errors.length) throw new Error(`postgres: restoring the roles failed:\n${errors.join('\n')}`);
  const dumps = new Set(readdirSync(dir));
  for (const db of Object.keys(entry.contents[shape.groups])) {
    if (!dumps.has(fileOf(db))) throw new Error(`postgres: ${fileOf(db)} is missing from ${dir}`);
    // --force ends the sessions still on it (the services'); they reconnect to the restored one
    await exec(bin('dropdb'), [...args, '--if-exists', '--force', db], { env });
    await exec(bin('pg_restore'), [...args, '-d', 'postgres', '--create', '--exit-on-error', join(dir, fileOf(db))], { env });
  }
}

async function serverVersion(stack) {
  const client = await connect(stack, 'postgres');
  try {
    return (await client.query('show server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

export default { name: 'postgres', shape, backup, restore, inventory };
