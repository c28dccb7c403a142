// each image carries the drivers of its own stores and no other: the bundle requires none, its
// package.json lists none and its pruned lockfile installs none (libs/store-*, one library per store;
// tools/webpack/package-json.plugin.cjs). The stores each service uses are declared in deploy/services.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/tools';
import { distDir, readJson, type PackageJson, type PackageLock } from './images';

/** the npm packages that connect to each store */
const DRIVERS: Record<string, readonly string[]> = {
  postgres: ['pg', 'typeorm', '@nestjs/typeorm'],
  mongo: ['mongodb'],
  redis: ['ioredis', '@nest-lab/throttler-storage-redis'],
  cassandra: ['cassandra-driver'],
  elasticsearch: ['@elastic/elasticsearch'],
};
const ALL = Object.values(DRIVERS).flat();

interface Declared {
  services: { name: string; stores: string[] }[];
}
const { services } = readJson<Declared>(join(ROOT, 'deploy/services.json'));

const driversOf = (names: Iterable<string>) => [...new Set([...names].filter((n) => ALL.includes(n)))].sort();

describe('the driver of every store is known', () => {
  it.each(services)('$name: its stores are ones this test knows', ({ stores }) => {
    expect(stores.filter((s) => DRIVERS[s] === undefined)).toEqual([]);
  });
});

describe.each(services)('dist/apps/$name', ({ name, stores }) => {
  const dir = distDir(name);
  const own = stores.flatMap((s) => DRIVERS[s]).sort();

  it('installs exactly the drivers of its own stores (the pruned lockfile)', () => {
    const installed = Object.keys(readJson<PackageLock>(join(dir, 'package-lock.json')).packages).map((p) =>
      p.replace(/^.*node_modules\//, ''),
    );
    expect(driversOf(installed)).toEqual(own);
  });

  it('lists no driver of another store in its package.json', () => {
    const listed = driversOf(Object.keys(readJson<PackageJson>(join(dir, 'package.json')).dependencies ?? {}));
    expect(listed.filter((d) => !own.includes(d))).toEqual([]);
    expect(listed.length).toBeGreaterThan(0);
  });

  it('requires no driver of another store from its bundle', () => {
    const bundle = readFileSync(join(dir, 'main.js'), 'utf8');
    const required = driversOf([...bundle.matchAll(/\brequire\("((?:@[^/"]+\/)?[^/"]+)[^"]*"\)/g)].map((m) => m[1]));
    expect(required.filter((d) => !own.includes(d))).toEqual([]);
    expect(required.length).toBeGreaterThan(0);
  });
});
