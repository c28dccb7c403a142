#!/usr/bin/env node
// npm run backup [-- --to=<dir>]: saves every store of the native stack (postgres, the MongoDB-wire
// server, cassandra, elasticsearch, redis; not kafka) into one directory, by default
// .stack/backups/<UTC time>/, with a manifest.json of counts and checksums per database, table,
// collection, index and keyspace that `npm run restore -- <backup>` checks against (docs/backups.md).
// it addresses the stack the way tools/stack/stack.sh does: STACK_HOME and the *_PORT variables.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { describe } from './lib/backup/contents.mjs';
import { openStack } from './lib/backup/native-stack.mjs';
import { STORES, stamp, writeManifest } from './lib/backup/stores.mjs';
import { onProjectNode } from './lib/proc.mjs';
import { UserError, main, ok, seconds, setPrefix, step, table } from './lib/ui.mjs';

const USAGE = `usage: npm run backup [-- --to=<dir>]
  --to=<dir>  where to write the backup (a new or empty directory); default .stack/backups/<UTC time>`;

main(async () => {
  setPrefix('backup');
  let opts;
  try {
    ({ values: opts } = parseArgs({ options: { to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    throw new UserError(`${e.message}\n${USAGE}`);
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;

  const stack = await openStack();
  const createdAt = new Date();
  const tag = stamp(createdAt).toLowerCase(); // snapshot names: elasticsearch takes lower case only
  // npm runs scripts from the repository root; INIT_CWD is where it was called from
  const dir = opts.to ? resolve(process.env.INIT_CWD ?? process.cwd(), opts.to) : join(stack.home, 'backups', stamp(createdAt));
  if (existsSync(dir) && readdirSync(dir).length) throw new UserError(`${dir} is not empty: name a new or empty directory with --to`);
  mkdirSync(dir, { recursive: true });

  const started = Date.now();
  const manifest = { createdAt: createdAt.toISOString(), stores: {} };
  const rows = [['store', 'version', 'contents', 'took']];
  try {
    for (const store of STORES) {
      step(`${store.name}: backing up`);
      const t0 = Date.now();
      const entry = await store.backup(stack, join(dir, store.name), tag).catch((e) => {
        throw e instanceof UserError ? e : new UserError(`${store.name}: the backup failed. ${e.message}`);
      });
      manifest.stores[store.name] = entry;
      rows.push([store.name, entry.version, describe(store.shape, entry.contents), seconds(Date.now() - t0)]);
    }
  } catch (e) {
    // no manifest, no backup: a partial one is removed rather than left to be restored by mistake
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  writeManifest(dir, manifest);
  table(rows);
  ok(`backed up in ${seconds(Date.now() - started)}: ${dir}`);
  return 0;
});
