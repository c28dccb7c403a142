// the pipeline (.github/workflows): actionlint passes on every workflow (with shellcheck on the run:
// scripts when shellcheck is on PATH), the check can fail, and the delivery workflow does what it promises.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { LISTED_SERVICES, SERVICE_NAMES } from '../support/service-list';
import { ROOT, tool } from '../support/tools';

const WORKFLOWS = '.github/workflows';
const DELIVERY = `${WORKFLOWS}/delivery.yml`;
const SERVICES = SERVICE_NAMES;

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string>>;
}
interface Job {
  readonly name?: string;
  readonly needs?: string | readonly string[];
  readonly if?: string;
  readonly 'timeout-minutes'?: number;
  readonly permissions?: Readonly<Record<string, string>>;
  readonly environment?: string | { readonly name: string; readonly url?: string };
  readonly strategy?: {
    readonly 'max-parallel'?: number;
    readonly 'fail-fast'?: boolean;
    readonly matrix?: Readonly<Record<string, unknown>>;
  };
  readonly outputs?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Readonly<Record<string, unknown>>;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress'?: unknown };
  readonly permissions?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, Job>>;
}

const workflowFiles = () =>
  readdirSync(join(ROOT, WORKFLOWS))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${WORKFLOWS}/${f}`)
    .sort();
const source = readFileSync(join(ROOT, DELIVERY), 'utf8');
const workflow = parse(source) as Workflow;

function job(id: string): Job {
  const j = workflow.jobs[id];
  if (!j) throw new Error(`${DELIVERY} has no job "${id}"`);
  return j;
}
const needs = (j: Job) => (typeof j.needs === 'string' ? [j.needs] : [...(j.needs ?? [])]);
const stepIndex = (j: Job, test: (s: Step) => boolean) => j.steps.findIndex(test);
function step(j: Job, test: (s: Step) => boolean, what: string): Step {
  const s = j.steps.find(test);
  if (!s) throw new Error(`no step ${what}`);
  return s;
}
const runs = (pattern: RegExp) => (s: Step) => pattern.test(s.run ?? '');
const uses = (action: string) => (s: Step) => (s.uses ?? '').startsWith(`${action}@`);
const onMainOnly = (condition: string | undefined) =>
  /github\.event_name != 'pull_request'/.test(condition ?? '') && /github\.ref == 'refs\/heads\/main'/.test(condition ?? '');

describe('actionlint', () => {
  it('passes on every workflow', () => {
    const files = workflowFiles();
    expect(files).toContain(DELIVERY);
    const r = tool('actionlint', ['-color=false', ...files]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  describe('fails on a broken copy of the delivery workflow', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ecom-actionlint-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const lint = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return tool('actionlint', ['-color=false', file]);
    };
    const copy = () => parse(source) as { jobs: Record<string, Record<string, unknown>> };
    type Copy = ReturnType<typeof copy>;
    const jobIn = (w: Copy, id: string) => {
      const j = w.jobs[id];
      if (!j) throw new Error(`no job ${id}`);
      return j;
    };

    it('while the unbroken copy, written the same way, passes', () => {
      const r = lint('unbroken.yml', stringify(copy()));
      expect(r.stdout + r.stderr).toBe('');
      expect(r.code).toBe(0);
    });

    it.each<[string, (w: Copy) => void, RegExp]>([
      [
        'a job that needs a job which does not exist',
        (w) => {
          jobIn(w, 'deploy')['needs'] = ['affected', 'image', 'no-such-job'];
        },
        /needs job "no-such-job" which does not exist/,
      ],
      [
        'an expression naming an unknown property',
        (w) => {
          const image = jobIn(w, 'image');
          image['env'] = { ...(image['env'] as object), IMAGE_TAG: '${{ github.shaa }}' };
        },
        /property "shaa" is not defined/,
      ],
      [
        'a matrix built from a job output that does not exist',
        (w) => {
          const deploy = jobIn(w, 'deploy');
          deploy['strategy'] = {
            ...(deploy['strategy'] as object),
            matrix: { service: '${{ fromJSON(needs.affected.outputs.servics) }}' },
          };
        },
        /property "servics" is not defined/,
      ],
    ])('%s', (_what, breakIt, error) => {
      const w = copy();
      breakIt(w);
      const r = lint('broken.yml', stringify(w));
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(error);
    });
  });
});

describe('the delivery workflow', () => {
  it('runs on pushes to main and on pull requests, one run per branch at a time', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(workflow.on['push']).toEqual({ branches: ['main'] });
    expect(workflow.concurrency?.group).toMatch(/github\.ref/);
  });

  it('grants only what each job needs, and bounds every job in time', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [id, j] of Object.entries(workflow.jobs)) {
      expect([id, typeof j['timeout-minutes']]).toEqual([id, 'number']);
      expect(j['timeout-minutes']).toBeLessThanOrEqual(60);
      const writes = Object.entries(j.permissions ?? {}).filter(([, v]) => v === 'write');
      expect([id, writes]).toEqual([id, id === 'image' ? [['packages', 'write']] : []]);
    }
  });

  it('pins every action to a version, and Trivy to a commit', () => {
    const all = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => Boolean(u)));
    expect(all.length).toBeGreaterThan(0);
    for (const u of all) expect(u).toMatch(/^[\w.-]+\/[\w./-]+@(?:[0-9a-f]{40}|v\d+(?:\.\d+){0,2})$/);
    expect(all.filter((u) => u.startsWith('aquasecurity/trivy-action@'))).toEqual([expect.stringMatching(/@[0-9a-f]{40}$/)]);
  });

  it('documents at the top every secret and variable it reads', () => {
    const header = source.slice(0, source.search(/^name:/m));
    const names = new Set([...source.matchAll(/\$\{\{[^}]*?\b(?:secrets|vars)\.(\w+)/g)].map((m) => m[1] ?? ''));
    names.delete('GITHUB_TOKEN');
    expect([...names].sort()).toEqual(['KUBECONFIG_B64', 'KUBECTL_VERSION', 'PRODUCTION_HOST']);
    for (const n of names) expect(header).toContain(n);
  });

  describe('affected', () => {
    const j = job('affected');

    it("checks out the whole history and installs with npm ci on the project's Node (.nvmrc), with the npm cache", () => {
      expect(step(j, uses('actions/checkout'), 'actions/checkout').with?.['fetch-depth']).toBe(0);
      const node = step(j, uses('actions/setup-node'), 'actions/setup-node');
      expect(node.with).toMatchObject({ 'node-version-file': '.nvmrc', cache: 'npm' });
      expect(stepIndex(j, runs(/^npm ci\b/))).toBeGreaterThan(-1);
    });

    it('audits the production dependencies after installing them, before anything is built', () => {
      const audit = stepIndex(j, runs(/^npm run audit$/));
      expect(audit).toBeGreaterThan(stepIndex(j, runs(/^npm ci\b/)));
      expect(audit).toBeLessThan(stepIndex(j, runs(/\bnx affected\b/)));
    });

    it('runs nx affected -t lint typecheck test build between the SHAs nx-set-shas found', () => {
      const shas = stepIndex(j, uses('nrwl/nx-set-shas'));
      const nx = stepIndex(j, runs(/\bnx affected\b.*\s-t lint typecheck test build\b/));
      expect(shas).toBeGreaterThan(-1);
      expect(nx).toBeGreaterThan(shas);
      expect(j.steps[nx]?.run).toMatch(/--base="\$NX_BASE" --head="\$NX_HEAD"/);
    });

    it('hands the affected projects and services on, computed by tools/scripts/affected.mjs', () => {
      const s = step(j, (x) => x.id === 'affected', 'with id affected');
      expect(s.run).toMatch(/^node tools\/scripts\/affected\.mjs --base="\$NX_BASE" --head="\$NX_HEAD" --github-output$/);
      expect(j.outputs).toEqual({
        projects: '${{ steps.affected.outputs.projects }}',
        services: '${{ steps.affected.outputs.services }}',
        health: '${{ steps.affected.outputs.health }}',
      });
    });
  });

  it('runs npm test, integration and e2e included, when anything is affected', () => {
    const j = job('integration');
    expect(needs(j)).toEqual(['affected']);
    expect(j.if).toBe("needs.affected.outputs.projects != '[]'");
    expect(stepIndex(j, runs(/^npm test$/))).toBeGreaterThan(-1);
  });

  describe('image', () => {
    const j = job('image');

    it('builds one image per affected service, after the tests passed', () => {
      expect(needs(j)).toEqual(['affected', 'integration']);
      expect(j.strategy?.matrix).toEqual({ service: '${{ fromJSON(needs.affected.outputs.services) }}' });
      const build = step(j, runs(/docker build/), 'running docker build');
      expect(build.run).toMatch(/nx run "\$\{SERVICE\}:build"/);
      expect(build.run).toContain('args=$(node tools/scripts/image-build-args.mjs "$SERVICE")');
      expect(build.run).toContain('read -ra build_args <<<"$args"');
      expect(build.run).toMatch(/docker build -f deploy\/Dockerfile "\$\{build_args\[@\]\}" -t "\$IMAGE" \./);
    });

    it.each(SERVICES)("builds %s with the name and ports deploy/services.json gives it, as compose does", (service) => {
      const r = spawnSync(process.execPath, ['tools/scripts/image-build-args.mjs', service], { cwd: ROOT, encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([0, '']);
      const listed = LISTED_SERVICES.find((s) => s.name === service);
      expect(r.stdout.trim()).toBe(
        `--build-arg SERVICE=${service} --build-arg PORT=${listed?.port} --build-arg MANAGEMENT_PORT=${(listed?.port ?? 0) + 6000}`,
      );
    });

    it('refuses to build a service that is not in deploy/services.json (negative)', () => {
      const r = spawnSync(process.execPath, ['tools/scripts/image-build-args.mjs', 'no-such-service'], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/no-such-service is not a service of deploy\/services\.json/);
    });

    it('tags the image in GHCR with the commit SHA', () => {
      expect(j.env).toMatchObject({ SERVICE: '${{ matrix.service }}', IMAGE_TAG: '${{ github.sha }}' });
      const name = step(j, (s) => s.name === 'Name the image', 'Name the image');
      expect(name.run).toContain('IMAGE=${REGISTRY}/${GITHUB_REPOSITORY_OWNER,,}/ecom/${SERVICE}:${IMAGE_TAG}');
      expect(workflow.env?.['REGISTRY']).toBe('ghcr.io');
    });

    it('scans it with Trivy, failing on CRITICAL and HIGH that have a fix, before anything is pushed', () => {
      const scan = stepIndex(j, uses('aquasecurity/trivy-action'));
      expect(scan).toBeGreaterThan(stepIndex(j, runs(/docker build/)));
      expect(j.steps[scan]?.with).toMatchObject({
        'image-ref': '${{ env.IMAGE }}',
        severity: 'CRITICAL,HIGH',
        'ignore-unfixed': true,
        'exit-code': '1',
      });
      const login = stepIndex(j, uses('docker/login-action'));
      const push = stepIndex(j, runs(/^docker push "\$IMAGE"$/));
      expect(login).toBeGreaterThan(scan);
      expect(push).toBeGreaterThan(login);
      expect(j.steps[login]?.with?.['registry']).toBe('${{ env.REGISTRY }}');
      expect(onMainOnly(j.steps[login]?.if)).toBe(true);
      expect(onMainOnly(j.steps[push]?.if)).toBe(true);
    });
  });

  describe('deploy', () => {
    const j = job('deploy');

    it('deploys from main only, one service at a time, in the production environment', () => {
      expect(needs(j)).toEqual(['affected', 'image']);
      expect(onMainOnly(j.if)).toBe(true);
      expect(j.strategy).toMatchObject({ 'max-parallel': 1, 'fail-fast': true });
      expect(j.strategy?.matrix).toEqual({ service: '${{ fromJSON(needs.affected.outputs.services) }}' });
      expect(j.environment).toMatchObject({ name: 'production' });
    });

    it('deploys the image the image job pushed', () => {
      const name = (x: Job) => step(x, (s) => s.name === 'Name the image', 'Name the image').run;
      expect(name(j)).toBe(name(job('image')));
      expect(j.env).toMatchObject({ SERVICE: '${{ matrix.service }}', IMAGE_TAG: '${{ github.sha }}' });
      expect(step(j, (s) => s.id === 'set-image', 'set-image').run).toContain('set image "deployment/$SERVICE" "$SERVICE=$IMAGE"');
    });

    it('waits for the rollout with a timeout, smoke-tests, and undoes the rollout when either fails', () => {
      const rollout = stepIndex(j, runs(/rollout status "deployment\/\$SERVICE" --timeout=\d+s/));
      const smoke = stepIndex(j, runs(/curl -fsS --retry \d+/));
      const undo = stepIndex(j, runs(/rollout undo "deployment\/\$SERVICE"/));
      expect(rollout).toBeGreaterThan(stepIndex(j, (s) => s.id === 'set-image'));
      expect(smoke).toBeGreaterThan(rollout);
      expect(undo).toBeGreaterThan(smoke);
      expect(j.steps[undo]?.if).toMatch(/^failure\(\) && /);
      expect(j.steps[undo]?.run).toMatch(/rollout status "deployment\/\$SERVICE" --timeout=\d+s/);
    });

    it("smoke-tests the health route deploy/services.json gives the service it deployed, through the ingress", () => {
      const run = step(j, runs(/curl/), 'running curl').run ?? '';
      expect(run).toContain('"https://$HOST$HEALTH"');
      // no route of its own: a service without one fails the deploy, never curls the bare host
      expect(run).toMatch(/if \[ -z "\$HEALTH" \]; then[\s\S]*exit 1[\s\S]*fi[\s\S]*curl/);
      expect(run).not.toMatch(/\/api\/\w/);
      expect(j.env).toMatchObject({
        HOST: '${{ vars.PRODUCTION_HOST }}',
        HEALTH: '${{ fromJSON(needs.affected.outputs.health)[matrix.service] }}',
      });
    });
  });
});
