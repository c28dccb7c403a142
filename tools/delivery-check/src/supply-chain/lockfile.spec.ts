// `npm ci` installs from package-lock.json only when the lockfile holds every package the tree
// needs, the other platforms' optional binaries included: a lockfile written by npm on one platform
// that left some out made `npm ci` fail on a fresh clone. this is the same check, without the network.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/tools';

interface Locked {
  readonly version?: string;
  readonly optionalDependencies?: Record<string, string>;
}
type Lockfile = { readonly lockfileVersion: number; readonly packages: Record<string, Locked> };

/** each optional dependency of a locked package that the lockfile has no entry for, as "parent -> name@range" */
export function missingOptionals(lock: Lockfile): string[] {
  const paths = new Set(Object.keys(lock.packages));
  const out: string[] = [];
  for (const [path, pkg] of Object.entries(lock.packages)) {
    for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
      // node's lookup: the package's own node_modules, then each folder above it
      const parts = path ? path.split('node_modules/').filter(Boolean) : [];
      const candidates = parts.map((_, i) => `node_modules/${[...parts.slice(0, parts.length - i), name].join('/node_modules/')}`);
      candidates.push(`node_modules/${name}`);
      if (!candidates.some((c) => paths.has(c.replace(/\/+$/, '').replace(/\/\//g, '/')))) out.push(`${path || '(root)'} -> ${name}@${range}`);
    }
  }
  return out;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;

describe('package-lock.json', () => {
  it('holds every optional package of every platform, so `npm ci` accepts it on any machine', () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(missingOptionals(lock)).toEqual([]);
  });

  it('reports an optional package of another platform that is missing (negative)', () => {
    const broken: Lockfile = {
      lockfileVersion: 3,
      packages: {
        '': {},
        'node_modules/sassy': { version: '1.0.0', optionalDependencies: { 'sassy-linux-x64': '1.0.0', 'sassy-darwin-arm64': '1.0.0' } },
        'node_modules/sassy-linux-x64': { version: '1.0.0' },
      },
    };
    expect(missingOptionals(broken)).toEqual(['node_modules/sassy -> sassy-darwin-arm64@1.0.0']);
  });
});
