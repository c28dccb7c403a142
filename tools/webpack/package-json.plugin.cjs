// writes the service's package.json and pruned lockfile next to its bundle, as nx's own
// GeneratePackageJsonPlugin does, listing only what the bundle can load: nx also adds every optional
// peer that the root package.json happens to depend on (@nestjs/terminus names mongoose and typeorm,
// typeorm names ioredis, ...), which would put every store's driver in every image.
// kept: a package the bundle requires, one named in runtimeDependencies (loaded by name at run time),
// and, transitively, a non-optional peer or a dependency of a kept package.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { builtinModules } = require('node:module');
const { createPackageJson, generatePrunedDeployOutput } = require('@nx/js');
const { detectPackageManager, readCachedProjectGraph, serializeJson, workspaceRoot } = require('@nx/devkit');

const NAME = 'ServicePackageJsonPlugin';

/** 'a/b' -> 'a', '@s/a/b' -> '@s/a', builtins -> undefined */
function packageOf(request) {
  if (request.startsWith('node:') || builtinModules.includes(request.split('/')[0])) return undefined;
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function manifest(name) {
  return JSON.parse(readFileSync(join(workspaceRoot, 'node_modules', name, 'package.json'), 'utf8'));
}

/** the packages a kept package cannot run without: its dependencies and its required peers */
function needs(name) {
  const m = manifest(name);
  const optional = new Set(
    Object.entries(m.peerDependenciesMeta ?? {})
      .filter(([, v]) => v.optional)
      .map(([k]) => k),
  );
  return [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {}).filter((p) => !optional.has(p))];
}

/**
 * nx's pruned lockfile keeps the optional peers of what it keeps, and npm ci installs every entry it
 * finds: drop the entries nothing reaches through dependencies, optional dependencies (platform
 * binaries) or required peers, resolving names the way node does (nearest node_modules first).
 */
function pruneLockfile(text) {
  const lock = JSON.parse(text);
  const { packages } = lock;
  const resolve = (from, name) => {
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const path = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
      if (packages[path]) return path;
      if (!dir) return undefined;
    }
  };
  const reached = new Set(['']);
  const queue = [''];
  while (queue.length) {
    const at = queue.pop();
    const entry = packages[at];
    const optionalPeers = new Set(
      Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, v]) => v.optional)
        .map(([k]) => k),
    );
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)),
    ];
    for (const name of names) {
      const path = resolve(at, name);
      if (path && !reached.has(path)) {
        reached.add(path);
        queue.push(path);
      }
    }
  }
  lock.packages = Object.fromEntries(Object.entries(packages).filter(([path]) => reached.has(path)));
  return JSON.stringify(lock, null, 2) + '\n';
}

class ServicePackageJsonPlugin {
  /** @param {{ projectName: string, runtimeDependencies: string[] }} options */
  constructor(options) {
    this.options = options;
  }

  apply(compiler) {
    const { sources, Compilation, ExternalModule } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      compilation.hooks.processAssets.tap({ name: NAME, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const required = new Set(this.options.runtimeDependencies);
        for (const module of compilation.modules) {
          if (module instanceof ExternalModule) {
            const pkg = packageOf(String(module.userRequest ?? module.request));
            if (pkg) required.add(pkg);
          }
        }
        const graph = readCachedProjectGraph();
        const candidates = createPackageJson(this.options.projectName, graph, { target: 'build', root: workspaceRoot, isProduction: true });
        const listed = { ...candidates.dependencies };
        for (const name of this.options.runtimeDependencies) listed[name] ??= manifest(name).version;

        const kept = new Set();
        const queue = [...required];
        while (queue.length) {
          const name = queue.pop();
          if (kept.has(name)) continue;
          kept.add(name);
          queue.push(...needs(name).filter((n) => n in listed));
        }
        const missing = [...required].filter((n) => !(n in listed));
        if (missing.length) {
          compilation.errors.push(
            new compiler.webpack.WebpackError(
              `${NAME}: the bundle requires ${missing.join(', ')}, which the root package.json does not list`,
            ),
          );
        }
        const packageJson = {
          ...candidates,
          dependencies: Object.fromEntries(
            Object.entries(listed)
              .filter(([n]) => kept.has(n))
              .sort(([a], [b]) => a.localeCompare(b)),
          ),
          main: 'main.js',
        };
        generatePrunedDeployOutput(packageJson, graph, graph.nodes[this.options.projectName].data.root, {
          emit: (path, content) =>
            compilation.emitAsset(path, new sources.RawSource(path === 'package-lock.json' ? pruneLockfile(content) : content)),
          packageManager: detectPackageManager(workspaceRoot),
          workspaceRoot,
        });
        compilation.emitAsset('package.json', new sources.RawSource(serializeJson(packageJson)));
      });
    });
  }
}

module.exports = { ServicePackageJsonPlugin, packageOf, pruneLockfile };
