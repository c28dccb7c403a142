// what a store holds, as the manifest records it: counts and an order-independent checksum per
// table (collection, index, ...) and per database (keyspace, ...), and how two such records differ.
//
// checksum of a table: sha256 of the sorted sha256 hex digests of its rows' text, joined by "\n"
// (sha256("") when empty). of a database: sha256 of its tables' "<name> <checksum>" lines, sorted.
// each store defines a row's text (docs/backups.md); postgres computes the same in SQL.
import { createHash } from 'node:crypto';
import { UserError, warn } from '../ui.mjs';

export const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** collects rows' digests; `result(unit)` is `{ [unit]: count, checksum }` */
export class RowDigest {
  hashes = [];
  add(text) {
    this.hashes.push(sha256(text));
  }
  result(unit) {
    return { [unit]: this.hashes.length, checksum: sha256(this.hashes.sort().join('\n')) };
  }
}

/**
 * a database's record from its tables' records: the count summed, a checksum over the tables'.
 * shape: { groups: 'databases', items: 'tables', unit: 'rows' } names the levels in the manifest
 */
export function group(shape, items) {
  const names = Object.keys(items).sort();
  const count = names.reduce((n, name) => n + items[name][shape.unit], 0);
  const checksum = sha256(
    names
      .map((name) => `${name} ${items[name].checksum}`)
      .sort()
      .join('\n'),
  );
  return { [shape.unit]: count, checksum, [shape.items]: Object.fromEntries(names.map((n) => [n, items[n]])) };
}

/** "2 databases, 5 tables, 1,203 rows" */
export function describe(shape, contents) {
  const groups = Object.values(contents[shape.groups] ?? {});
  // "1 database", "2 databases", "1 index", "2 indices"
  const count = (n, plural) => `${n.toLocaleString('en')} ${n === 1 ? SINGULAR[plural] ?? plural.replace(/s$/, '') : plural}`;
  const parts = [count(groups.length, shape.groups)];
  if (shape.items) parts.push(count(groups.reduce((n, g) => n + Object.keys(g[shape.items] ?? {}).length, 0), shape.items));
  parts.push(count(groups.reduce((n, g) => n + g[shape.unit], 0), shape.unit));
  return parts.join(', ');
}
const SINGULAR = { indices: 'index' };

/** leaf values of a record by path ("shop/collections/users/documents") */
function flatten(value, path, out) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}/${k}` : k, out);
  } else out.set(path, JSON.stringify(value));
  return out;
}

/**
 * how `actual` differs from `expected`, one line per difference, for the groups (databases,
 * keyspaces, indices) the expected record names; other groups of the store are not compared
 */
export function differences(shape, expected, actual) {
  const lines = [];
  for (const [name, want] of Object.entries(expected[shape.groups] ?? {})) {
    const have = actual[shape.groups]?.[name];
    if (!have) {
      lines.push(`${name}: missing`);
      continue;
    }
    const a = flatten(want, name, new Map());
    const b = flatten(have, name, new Map());
    for (const [path, v] of a) {
      if (!b.has(path)) lines.push(`${path}: missing (backup: ${v})`);
      else if (b.get(path) !== v) lines.push(`${path}: ${b.get(path)} (backup: ${v})`);
    }
    for (const [path, v] of b) if (!a.has(path)) lines.push(`${path}: ${v}, not in the backup`);
  }
  return lines;
}

/**
 * takes a snapshot until the store held the same just before and just after it, so the manifest
 * describes what the snapshot holds. a store that keeps changing (services writing) is tried again,
 * then given up with a message. resolves { saved, contents }
 */
export async function steadySnapshot(name, { inventory, take, discard, tries = 3 }) {
  for (let attempt = 1; ; attempt++) {
    const before = await inventory();
    const saved = await take();
    const after = await inventory();
    if (JSON.stringify(before) === JSON.stringify(after)) return { saved, contents: after };
    await discard(saved);
    if (attempt === tries) {
      throw new UserError(
        `${name} kept changing while it was backed up (${tries} tries): stop what writes to it (\`npm stop -- --services\`) and run again`,
      );
    }
    warn(`${name} changed while its snapshot was taken; taking it again`);
  }
}
