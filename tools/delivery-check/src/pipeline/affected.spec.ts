// the pipeline builds, pushes and deploys what `nx affected` says a change touches: these check that the
// project graph makes that answer right. Changes are given with --files, so nothing here depends on the
// git history of the clone; the expected sets come from the project graph, not from a hand-kept list.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LISTED_SERVICES, SERVICE_NAMES } from '../support/service-list';
import { ROOT } from '../support/tools';

// the services of deploy/services.json: the apps that ship an image
const SERVICES = SERVICE_NAMES;
const ENV = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', FORCE_COLOR: '0' };

interface GraphNode {
  readonly type: string;
  readonly data: { readonly root: string; readonly targets?: Readonly<Record<string, unknown>> };
}
interface Graph {
  readonly nodes: Readonly<Record<string, GraphNode>>;
  readonly dependencies: Readonly<Record<string, readonly { readonly source: string; readonly target: string; readonly type: string }[]>>;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = ENV): string {
  const r = spawnSync(cmd, [...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
const nx = (args: readonly string[]) => run(join(ROOT, 'node_modules', '.bin', 'nx'), args);

/** nx show projects --affected for these changed files, optionally only projects with the target */
function affected(files: readonly string[], target?: string): string[] {
  const args = ['show', 'projects', '--affected', `--files=${files.join(',')}`, ...(target ? ['-t', target] : []), '--json'];
  return (JSON.parse(nx(args)) as string[]).sort();
}

let graph: Graph;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'ecom-graph-'));
  try {
    nx(['graph', `--file=${join(dir, 'graph.json')}`]);
    graph = (JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as { graph: Graph }).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** the project and everything that depends on it, directly or not (static, dynamic and implicit edges) */
function withDependents(project: string): string[] {
  const found = new Set([project]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [source, deps] of Object.entries(graph.dependencies)) {
      if (!found.has(source) && deps.some((d) => found.has(d.target))) {
        found.add(source);
        grew = true;
      }
    }
  }
  return [...found].sort();
}
const hasTarget = (project: string, target: string) => Boolean(graph.nodes[project]?.data.targets?.[target]);
const withBuild = (projects: readonly string[]) => projects.filter((p) => hasTarget(p, 'build'));

describe('the project graph', () => {
  it('holds every service of deploy/services.json as an app with a build target', () => {
    for (const s of SERVICES) {
      expect(graph.nodes[s]?.type).toBe('app');
      expect(hasTarget(s, 'build')).toBe(true);
    }
  });

  it('has no way to build platform-e2e or delivery-check, which depend on the apps implicitly', () => {
    for (const p of ['platform-e2e', 'delivery-check']) {
      expect(hasTarget(p, 'build')).toBe(false);
      expect(graph.dependencies[p]?.filter((d) => d.type === 'implicit').map((d) => d.target)).toEqual(expect.arrayContaining(SERVICES));
    }
  });
});

describe('nx affected', () => {
  it.each(SERVICES)('rebuilds only %s when its own code changes', (service) => {
    const file = `apps/${service}/src/main.ts`;
    expect(existsSync(join(ROOT, file))).toBe(true);
    expect(affected([file], 'build')).toEqual([service]);
  });

  it('counts the projects that depend on an app implicitly as affected, but they have nothing to build', () => {
    const all = affected(['apps/order-service/src/main.ts']);
    expect(all).toEqual(withDependents('order-service'));
    expect(all).toEqual(expect.arrayContaining(['order-service', 'platform-e2e', 'delivery-check']));
    expect(withBuild(all)).toEqual(['order-service']);
  });

  it('rebuilds every project that depends on @ecom/events when the events library changes', () => {
    const built = affected(['libs/events/src/index.ts'], 'build');
    const expected = withBuild(withDependents('events'));
    expect(built).toEqual(expected);
    expect(built).toEqual(expect.arrayContaining(SERVICES));
    // and nothing that does not depend on it: config sits below events, not above
    expect(built).not.toContain('config');
  });

  it('affects nothing for a file outside every project', () => {
    expect(affected(['README.md'])).toEqual([]);
  });
});

describe('tools/scripts/affected.mjs (the matrix of the pipeline)', () => {
  it('lists the affected projects, and as services the affected ones of deploy/services.json', () => {
    const files = ['libs/events/src/index.ts'];
    const dir = mkdtempSync(join(tmpdir(), 'ecom-affected-'));
    const output = join(dir, 'github-output');
    writeFileSync(output, '');
    try {
      const stdout = run(process.execPath, ['tools/scripts/affected.mjs', `--files=${files.join(',')}`, '--github-output'], {
        ...ENV,
        GITHUB_OUTPUT: output,
      });
      const result = JSON.parse(stdout) as { projects: string[]; services: string[]; health: Record<string, string> };
      const shipped = [...SERVICES].sort();

      expect(result.projects).toEqual(affected(files));
      expect(result.services).toEqual(shipped);
      expect(result.services).not.toContain('platform-e2e');
      // the deploy job's smoke test: every service's health route, as the list has it
      const health = Object.fromEntries(LISTED_SERVICES.map((s) => [s.name, s.health]));
      expect(result.health).toEqual(health);
      expect(readFileSync(output, 'utf8')).toBe(
        `projects=${JSON.stringify(result.projects)}\nservices=${JSON.stringify(shipped)}\nhealth=${JSON.stringify(health)}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to guess when it is told neither files nor a base', () => {
    const r = spawnSync(process.execPath, ['tools/scripts/affected.mjs'], { cwd: ROOT, env: ENV, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/usage: affected\.mjs/);
  });
});
