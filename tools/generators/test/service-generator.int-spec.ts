// nx g @ecom/tools:service, run as a user would in a copy of this checkout: the new service builds,
// passes lint and its tests (its own integration suite included, on the real stack), installs only its
// own store's driver, answers /health/ready, and is reachable through the gateway, whose routes, like
// compose and the Kubernetes manifests, come from deploy/services.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, Gateway, Instance, ROOT } from '@ecom/testing';

const NAME = 'payments-service';

// this run's namespace on the shared servers (tools/jest/run-stores.cjs): left out of the commands
// run in the copy, whose own integration run makes and removes a namespace of its own
const RUN_VARIABLES = Object.keys(
  (require(join(ROOT, 'tools/jest/run-stores.cjs')) as { runEnv: (env: object) => Record<string, string> }).runEnv({}),
);

/** runs a command in the copy, returning its exit code and the tail of its output */
function sh(copy: string, command: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' };
  for (const name of RUN_VARIABLES) delete env[name];
  const r = spawnSync(command, args, {
    cwd: copy,
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, tail: `${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n') };
}
const nx = (copy: string, ...args: string[]) => sh(copy, process.execPath, [require.resolve('nx/bin/nx'), ...args]);

describe('nx g @ecom/tools:service payments --port 3006 --stores postgres, in a copy of the repository', () => {
  let copy: string;
  let generated: ReturnType<typeof sh>;
  const read = (path: string) => readFileSync(join(copy, path), 'utf8');

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'service-generator-'));
    // every file git knows of (committed or not, ignored ones left out), the installed packages and the
    // running stack's state shared rather than copied
    const tar = spawnSync(
      'sh',
      ['-c', `git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "${copy}"`],
      {
        cwd: ROOT,
      },
    );
    expect(tar.status).toBe(0);
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    if (existsSync(join(ROOT, '.stack'))) symlinkSync(join(ROOT, '.stack'), join(copy, '.stack'));
    generated = nx(copy, 'g', '@ecom/tools:service', 'payments', '--port', '3006', '--stores', 'postgres', '--no-interactive');
  }, 300_000);

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('generates the app and lists it in deploy/services.json', () => {
    expect([generated.code, generated.tail]).toEqual([0, expect.stringContaining(`${NAME} is ready`)]);
    const listed = JSON.parse(read('deploy/services.json')).services.find((s: { name: string }) => s.name === NAME);
    expect(listed).toEqual(
      expect.objectContaining({ port: 3006, routes: ['/api/payments'], health: '/api/payments/health', stores: ['postgres'] }),
    );
    expect(existsSync(join(copy, 'apps', NAME, 'src/main.ts'))).toBe(true);
    // the e2e suite's authorization matrix has its health rows, so npm test's e2e run covers it
    expect(read('apps/platform-e2e/src/support/authorization-matrix.ts')).toMatch(/'payments-service': \{\n[^}]*\.\.\.health,/);
  });

  it('renders it into the gateway, compose and the Kubernetes manifests, with nothing left stale', () => {
    expect(sh(copy, process.execPath, ['tools/scripts/render-services.mjs', '--check']).code).toBe(0);
    expect(read('deploy/gateway/gateway.conf.template')).toMatch(
      /upstream payments_service \{ server \$\{SERVICES_HOST\}:\$\{PAYMENTS_SERVICE_PORT\}/,
    );
    expect(read('deploy/gateway/gateway.conf.template')).toContain('location /api/payments');
    expect(read('docker-compose.yml')).toMatch(/^ {2}payments-service:$/m);
    expect(read(`deploy/k8s/base/services/${NAME}.yaml`)).toContain(`name: ${NAME}`);
    expect(read('deploy/k8s/base/kustomization.yaml')).toContain(`services/${NAME}.yaml`);
    expect(read('deploy/k8s/base/ingress.yaml')).toContain('/api/payments');
    // production: pointed at the operators' PostgreSQL, which lets it in
    expect(read('deploy/k8s/components/operator-stores/services.yaml')).toContain(`name: ${NAME}-config`);
    expect(read('deploy/k8s/data-tier/network-policy.yaml')).toContain(`- ${NAME}`);
  });

  it('passes lint, its unit tests and the build', () => {
    const r = nx(copy, 'run-many', '-t', 'lint', 'test', 'build', '-p', NAME, '--outputStyle=static');
    expect([r.code, r.tail]).toEqual([0, expect.anything()]);
    // the e2e suite, with its new rows, still compiles
    const e2e = sh(copy, process.execPath, [
      require.resolve('typescript/bin/tsc'),
      '-p',
      'apps/platform-e2e/tsconfig.spec.json',
      '--noEmit',
    ]);
    expect([e2e.code, e2e.tail]).toEqual([0, expect.anything()]);
    // its image would install the driver of its one store, and no other
    const deps = Object.keys(JSON.parse(read(`dist/apps/${NAME}/package.json`)).dependencies);
    expect(deps).toEqual(expect.arrayContaining(['pg', 'typeorm']));
    expect(deps.filter((d) => ['mongodb', 'ioredis', 'cassandra-driver', '@elastic/elasticsearch'].includes(d))).toEqual([]);
  }, 600_000);

  it('passes its own integration suite on the real stack', () => {
    const r = nx(copy, 'run', `${NAME}:integration`, '--outputStyle=static');
    expect([r.code, r.tail]).toEqual([0, expect.stringContaining('3 passed')]);
  }, 300_000);

  it('serves /health/ready from its build, and through the gateway at /api/payments/health', async () => {
    const logs = join(copy, 'logs');
    mkdirSync(logs);
    const instance = Instance.start(NAME, await freePort(), logs, copy);
    let gateway: Gateway | undefined;
    try {
      await instance.ready();
      // the other services' ports are never called: only the new route is
      const elsewhere = await freePort();
      gateway = await Gateway.start(
        await freePort(),
        { user: elsewhere, product: elsewhere, order: elsewhere, analytics: elsewhere, notification: elsewhere, payments: instance.port },
        join(copy, 'gateway'),
        {},
        copy,
      );
      const res = await fetch(`${gateway.url}/api/payments/health`);
      expect([res.status, await res.json()]).toEqual([200, { status: 'ok' }]);
    } finally {
      await gateway?.stop();
      await instance.stop();
    }
  }, 180_000);
});
