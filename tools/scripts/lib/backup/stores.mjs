// the stores npm run backup and restore cover, in the order they are saved and restored, and the
// backup's manifest.json. each store module has the same shape:
//   name, shape                    the store and the levels of its record (contents.mjs)
//   backup(stack, dir, tag)        saves into dir; resolves { version, saved, contents }
//   restore(stack, dir, entry, tag) puts the manifest entry's backup back
//   inventory(stack, names?)       the store's record now, for the named databases (all by default)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cassandra from './cassandra.mjs';
import elasticsearch from './elasticsearch.mjs';
import mongodb from './mongodb.mjs';
import postgres from './postgres.mjs';
import redis from './redis.mjs';
import { UserError } from '../ui.mjs';

export const STORES = [postgres, mongodb, cassandra, elasticsearch, redis];

const MANIFEST = 'manifest.json';
const FORMAT = 1;

/** 20261202T061500Z: when, in UTC, to the second */
export const stamp = (date = new Date()) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

export function writeManifest(dir, manifest) {
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify({ format: FORMAT, ...manifest }, null, 2)}\n`);
}

export function readManifest(dir) {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) throw new UserError(`${dir} is not a backup: it has no ${MANIFEST} (an interrupted backup writes none)`);
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (manifest.format !== FORMAT) throw new UserError(`${file} is format ${manifest.format}; this restore reads format ${FORMAT}`);
  return manifest;
}
