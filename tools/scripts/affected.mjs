#!/usr/bin/env node
// what a change affects, for the pipeline (.github/workflows/delivery.yml) and its checks:
//   node tools/scripts/affected.mjs --base=<sha> [--head=<sha>]   the changes between two commits
//   node tools/scripts/affected.mjs --files=<file>[,<file>...]    these files changed (no git history needed)
// prints one line of JSON: {"projects":[...],"services":[...],"health":{...}}
//   projects: every affected project (nx show projects --affected)
//   services: the affected services of deploy/services.json, the apps that ship an image (each must be an
//             nx app with a `build` target, or this fails)
//   health:   each service of the list and its health route through the ingress, e.g. "/api/users/health"
//             (what the deploy job smoke-tests)
// --github-output also appends `projects=<json>`, `services=<json>` and `health=<json>` to $GITHUB_OUTPUT.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readServiceList } from './lib/service-list.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NX = join(ROOT, 'node_modules', '.bin', 'nx');

function nx(args) {
  try {
    return execFileSync(NX, args, {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NX_TUI: 'false', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    throw new Error(`nx ${args.join(' ')} failed (exit ${e.status}):\n${e.stderr || e.stdout || e.message}`);
  }
}

/** the project graph: { nodes: { name: { type, data: { root, targets } } }, dependencies } */
function projectGraph() {
  const dir = mkdtempSync(join(tmpdir(), 'ecom-graph-'));
  try {
    nx(['graph', `--file=${join(dir, 'graph.json')}`]);
    return JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      files: { type: 'string' },
      'github-output': { type: 'boolean', default: false },
    },
  });
  let range;
  if (values.files !== undefined) range = [`--files=${values.files}`];
  else if (values.base) range = [`--base=${values.base}`, ...(values.head ? [`--head=${values.head}`] : [])];
  else throw new Error('usage: affected.mjs --base=<sha> [--head=<sha>] | --files=<file>[,<file>...] [--github-output]');

  const list = readServiceList(ROOT);
  const listed = list.map((s) => s.name);
  const { nodes } = projectGraph();
  const unbuildable = listed.filter((name) => nodes[name]?.type !== 'app' || !nodes[name].data.targets?.['build']);
  if (unbuildable.length) throw new Error(`deploy/services.json lists ${unbuildable.join(', ')}, which nx has no app with a build target for`);
  const projects = JSON.parse(nx(['show', 'projects', '--affected', ...range, '--json'])).sort();
  const services = projects.filter((name) => listed.includes(name));

  const health = Object.fromEntries(list.map((s) => [s.name, s.health]));

  const result = { projects, services, health };
  console.log(JSON.stringify(result));
  if (values['github-output']) {
    const out = process.env.GITHUB_OUTPUT;
    if (!out) throw new Error('--github-output: GITHUB_OUTPUT is not set');
    appendFileSync(out, `projects=${JSON.stringify(projects)}\nservices=${JSON.stringify(services)}\nhealth=${JSON.stringify(health)}\n`);
  }
}

try {
  main();
} catch (e) {
  console.error(`affected: ${e.message}`);
  process.exit(1);
}
