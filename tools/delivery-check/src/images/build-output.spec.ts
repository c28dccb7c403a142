// what each image is built from: dist/apps/<service> as `nx run <service>:build` leaves it (this project
// depends on ^build). The entry point must be there, and the app's package.json and pruned lockfile
// must install exactly its production dependencies, covering everything the bundle requires at run time.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/tools';
import { SERVICES, distDir, readJson, type PackageJson, type PackageLock } from './images';

const rootPackage = readJson<PackageJson>(join(ROOT, 'package.json'));

// build and test tooling that must never reach an image, whatever depends on what
const TOOLING =
  /^(nx|@nx\/.*|jest|jest-.*|ts-jest|typescript|ts-node|webpack|webpack-cli|webpack-dev-server|eslint|@eslint\/.*|prettier|@swc\/core|@swc-node\/.*|@nestjs\/testing|@nestjs\/schematics)$/;

/**
 * packages the bundle requires that its package.json may leave out, with why each still resolves. none
 * today: tools/webpack/package-json.plugin.cjs lists everything the bundle requires, and tslib
 * (importHelpers; a root devDependency) through its runtimeDependencies.
 */
const UNDECLARED: Record<string, string> = {};

/** the package a bare specifier names: lodash/fp → lodash, @nestjs/core/x → @nestjs/core */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(packageOf(specifier));

/** what webpack left external: the require("<package>") calls of the bundle */
function externals(mainJs: string): string[] {
  const specifiers = [...mainJs.matchAll(/\brequire\("([^"./][^"]*)"\)/g)].map((m) => m[1]);
  return [...new Set(specifiers.filter((s) => !isBuiltin(s)).map(packageOf))].sort();
}

describe.each(SERVICES)('dist/apps/$name', ({ name }) => {
  const dir = distDir(name);
  const pkg = () => readJson<PackageJson>(join(dir, 'package.json'));
  const lock = () => readJson<PackageLock>(join(dir, 'package-lock.json'));

  it('has the entry point the image runs (CMD ["node", <deploy/node-flags.json>, "main.js"]), named in its package.json', () => {
    expect(existsSync(join(dir, 'main.js'))).toBe(true);
    expect(pkg().main).toBe('main.js');
  });

  it('has a package.json of production dependencies only: from the root dependencies, no devDependencies', () => {
    const { dependencies = {}, devDependencies, peerDependencies } = pkg();
    expect(devDependencies).toBeUndefined();
    expect(peerDependencies).toBeUndefined();
    expect(Object.keys(dependencies).length).toBeGreaterThan(0);
    for (const dep of Object.keys(dependencies)) {
      expect([dep, rootPackage.dependencies?.[dep] !== undefined]).toEqual([dep, true]);
      expect([dep, rootPackage.devDependencies?.[dep]]).toEqual([dep, undefined]);
    }
    // the libs are bundled into main.js: nothing comes from workspace_modules or the file system
    expect(Object.values(dependencies).filter((v) => /^(file|link|workspace):/.test(v))).toEqual([]);
  });

  it('has a pruned lockfile that agrees with its package.json', () => {
    const l = lock();
    expect(l.lockfileVersion).toBeGreaterThanOrEqual(2);
    expect(l.packages['']?.dependencies).toEqual(pkg().dependencies);
    // pruned: not the workspace's lockfile
    const workspace = readJson<PackageLock>(join(ROOT, 'package-lock.json'));
    expect(Object.keys(l.packages).length).toBeLessThan(Object.keys(workspace.packages).length);
  });

  it('installs with npm ci --omit=dev from the lockfile alone, and no build or test tooling comes with it', () => {
    const tmp = mkdtempSync(join(tmpdir(), `image-${name}-`));
    try {
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(dir, f), join(tmp, f));
      // what the Dockerfile runs, without fetching: --dry-run resolves the whole tree from the lockfile,
      // and npm ci refuses a lockfile out of sync with package.json
      const r = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--dry-run', '--offline', '--no-audit', '--no-fund'], {
        cwd: tmp,
        encoding: 'utf8',
        env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
      });
      expect([r.status, r.stderr]).toEqual([0, expect.anything()]);
      const added = [...r.stdout.matchAll(/^add (\S+) \S+$/gm)].map((m) => m[1]);
      expect(added.length).toBeGreaterThan(0);
      expect(added.filter((p) => TOOLING.test(p))).toEqual([]);
      // every declared dependency is installed
      expect(added).toEqual(expect.arrayContaining(Object.keys(pkg().dependencies ?? {})));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('declares every package the bundle requires at run time', () => {
    const required = externals(readFileSync(join(dir, 'main.js'), 'utf8'));
    expect(required.length).toBeGreaterThan(0);
    const declared = pkg().dependencies ?? {};
    const missing = required.filter((p) => declared[p] === undefined && UNDECLARED[p] === undefined);
    expect(missing).toEqual([]);
  });

  it('resolves every package the bundle requires from the top of node_modules, outside dev', () => {
    const packages = lock().packages;
    for (const p of externals(readFileSync(join(dir, 'main.js'), 'utf8'))) {
      const entry = packages[`node_modules/${p}`];
      expect([p, entry?.version !== undefined, entry?.dev === true]).toEqual([p, true, false]);
    }
  });

  it('needs no exception for a package it declares (drop it from UNDECLARED once declared)', () => {
    const declared = pkg().dependencies ?? {};
    expect(Object.keys(UNDECLARED).filter((p) => declared[p] !== undefined)).toEqual([]);
  });
});
