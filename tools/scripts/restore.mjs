#!/usr/bin/env node
// npm run restore -- <backup>: puts a backup of `npm run backup` back into the native stack, store by
// store, then counts and checksums every restored database, table, collection, index and keyspace
// again and fails, naming each difference, unless all match the backup's manifest.json
// (docs/backups.md). <backup> is its directory, or its name under .stack/backups. what the backup
// holds is replaced; databases, keyspaces and indices it does not name are left alone.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { describe, differences } from './lib/backup/contents.mjs';
import { openStack } from './lib/backup/native-stack.mjs';
import { STORES, readManifest, stamp } from './lib/backup/stores.mjs';
import { livePid, onProjectNode } from './lib/proc.mjs';
import { SERVICES } from './lib/services.mjs';
import { UserError, main, ok, red, seconds, setPrefix, step, table } from './lib/ui.mjs';

const USAGE = 'usage: npm run restore -- <backup>   (a directory written by npm run backup, or its name under .stack/backups)';

function backupDir(stack, arg) {
  const saved = join(stack.home, 'backups');
  const list = existsSync(saved) ? readdirSync(saved).sort() : [];
  if (!arg) throw new UserError(`name the backup to restore\n${USAGE}${list.length ? `\nbackups in ${saved}: ${list.join(', ')}` : ''}`);
  // npm runs scripts from the repository root; INIT_CWD is where it was called from
  for (const dir of [resolve(process.env.INIT_CWD ?? process.cwd(), arg), join(saved, arg)]) if (existsSync(dir)) return dir;
  throw new UserError(`no backup ${arg}: neither a directory nor one of ${saved} (${list.join(', ') || 'none there'})`);
}

main(async () => {
  setPrefix('restore');
  let positionals;
  try {
    ({ positionals } = parseArgs({ allowPositionals: true, options: {} }));
  } catch (e) {
    throw new UserError(`${e.message}\n${USAGE}`);
  }
  if (positionals.length > 1) throw new UserError(`one backup at a time\n${USAGE}`);
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;

  const stack = await openStack();
  const dir = backupDir(stack, positionals[0]);
  const manifest = readManifest(dir);
  // the stores change under running services: caches would disagree with the restored data
  const running = SERVICES.filter((s) => livePid(s.pidFile)).map((s) => s.name);
  if (running.length)
    throw new UserError(`${running.join(', ')} running: stop the services first (\`npm stop -- --services\`), restore, then \`npm start\``);

  step(`restoring ${dir} (taken ${manifest.createdAt})`);
  const started = Date.now();
  const tag = stamp().toLowerCase();
  const rows = [['store', 'contents', 'took', 'check']];
  const problems = [];
  for (const store of STORES) {
    const entry = manifest.stores[store.name];
    if (!entry) continue;
    step(`${store.name}: restoring ${describe(store.shape, entry.contents)}`);
    const t0 = Date.now();
    try {
      await store.restore(stack, join(dir, store.name), entry, tag);
    } catch (e) {
      if (e instanceof UserError) throw e;
      const done = rows.slice(1).map((r) => r[0]);
      throw new UserError(`${store.name}: the restore failed. ${e.message}${done.length ? `\n(${done.join(', ')} restored already)` : ''}`);
    }
    const now = await store.inventory(stack, Object.keys(entry.contents[store.shape.groups]));
    const diff = differences(store.shape, entry.contents, now);
    problems.push(...diff.map((d) => `${store.name}: ${d}`));
    rows.push([store.name, describe(store.shape, now), seconds(Date.now() - t0), diff.length ? red(`${diff.length} differences`) : 'ok']);
  }
  table(rows);
  if (problems.length) throw new UserError(`the restored stores differ from the backup's manifest:\n  ${problems.join('\n  ')}`);
  ok(`restored and checked in ${seconds(Date.now() - started)}: every count and checksum matches the backup`);
  return 0;
});
