// one node everywhere: what npm start and npm test run on (package.json's `node` package), what the
// images ship, what CI sets up and what the types describe. the pinned version is read from
// package.json's devDependencies.node; every other place must say the same.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/tools';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  engines: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const pinned = pkg.devDependencies['node'];

/** every place a node version is named, and what it names there */
export function nodeVersions(files: { nvmrc: string; dockerfiles: Record<string, string>; workflow: string }): Record<string, string> {
  const out: Record<string, string> = { '.nvmrc': files.nvmrc.trim(), 'package.json engines.node': pkg.engines['node'] };
  for (const [path, text] of Object.entries(files.dockerfiles)) {
    const froms = [...text.matchAll(/^FROM\s+node:(\S+?)(?:-[a-z]\S*)?(?:\s|$)/gm)].map((m) => m[1]);
    froms.forEach((v, i) => (out[`${path} FROM #${i + 1}`] = v));
    if (!froms.length) out[`${path} FROM`] = 'no node base image';
  }
  const workflow = parse(files.workflow) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, string> }[] }> };
  for (const [job, { steps = [] }] of Object.entries(workflow.jobs))
    steps
      .filter((s) => s.uses?.startsWith('actions/setup-node'))
      .forEach((s, i) => {
        out[`workflow ${job} setup-node #${i + 1}`] =
          s.with?.['node-version-file'] === '.nvmrc' ? files.nvmrc.trim() : `node-version ${s.with?.['node-version'] ?? 'unset'}, not .nvmrc`;
      });
  return out;
}

// the one image definition (deploy/Dockerfile), and any Dockerfile an app grows of its own
const dockerfiles = Object.fromEntries(
  ['deploy/Dockerfile', ...readdirSync(join(ROOT, 'apps')).map((app) => `apps/${app}/Dockerfile`)]
    .filter((path) => existsSync(join(ROOT, path)))
    .map((path) => [path, read(path)]),
);
const files = { nvmrc: read('.nvmrc'), dockerfiles, workflow: read('.github/workflows/delivery.yml') };

describe('one node version', () => {
  it('is pinned exactly, as the `node` package whose install script is allowed to fetch node itself', () => {
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
    expect(pkg.allowScripts?.['node']).toBe(true);
  });

  it('is the one .nvmrc, engines, every Dockerfile and every setup-node step name', () => {
    const versions = nodeVersions(files);
    expect(Object.keys(versions).filter((k) => k.startsWith('deploy/Dockerfile FROM #')).length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(versions).filter((k) => k.startsWith('workflow')).length).toBeGreaterThanOrEqual(1);
    for (const [where, version] of Object.entries(versions)) expect([where, version]).toEqual([where, pinned]);
  });

  it('is the major version of @types/node', () => {
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^[~^]?${pinned.split('.')[0]}\\.`));
  });

  it('reports a place that drifts (negative)', () => {
    const drifted = nodeVersions({
      nvmrc: '24.1.0\n',
      dockerfiles: { 'a/Dockerfile': 'FROM node:22.1.0-bookworm-slim AS deps\nFROM node:24.21.0-trixie-slim\n', 'b/Dockerfile': 'FROM debian\n' },
      workflow: 'jobs:\n  build:\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n',
    });
    expect(drifted).toMatchObject({
      '.nvmrc': '24.1.0',
      'a/Dockerfile FROM #1': '22.1.0',
      'a/Dockerfile FROM #2': '24.21.0',
      'b/Dockerfile FROM': 'no node base image',
      'workflow build setup-node #1': 'node-version 22, not .nvmrc',
    });
  });
});
