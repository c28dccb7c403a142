// deploy/services.json declares each http service once; npm run services:render (tools/scripts/render-services.mjs)
// writes the gateway routes, the compose blocks and the kubernetes manifests from it. These check that the
// committed output is what the list renders, that a new service shows up everywhere by editing the list
// alone, and that the list says what the apps' own code says.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { gatewayRoutes, parseGatewayRoutes } from '../k8s/gateway-routes';
import { named, parseManifests, type ConfigMapObject, type IngressObject, type K8sObject, type Workload } from '../k8s/manifests';
import { ingressRoutes, networkTopology } from '../k8s/policies';
import { LISTED_SERVICES, SERVICE_LIST, SERVICE_NAMES, portVariable, readServiceList, type ListedService } from '../support/service-list';
import { ROOT, tool } from '../support/tools';

const RENDERER = join(ROOT, 'tools/scripts/render-services.mjs');
const GENERATED = 'generated from deploy/services.json by npm run services:render — do not edit';
const NGINX = '/usr/sbin/nginx';

function render(...args: string[]) {
  const r = spawnSync(process.execPath, [RENDERER, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** the files the renderer reads and writes, as it lists them (a trailing / is a directory) */
const targets = render('--list').stdout.split('\n').filter(Boolean);

/** a scratch copy of everything the renderer and kustomize read: deploy/ whole, and the other targets */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecom-services-'));
  cpSync(join(ROOT, 'deploy'), join(dir, 'deploy'), { recursive: true });
  for (const path of targets.filter((t) => !t.startsWith('deploy/'))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  return dir;
}

const readIn = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const writeList = (dir: string, services: readonly ListedService[]) => {
  const list = JSON.parse(readIn(dir, SERVICE_LIST)) as Record<string, unknown>;
  writeFileSync(join(dir, SERVICE_LIST), `${JSON.stringify({ ...list, services }, null, 2)}\n`);
};

/** the k8s name of each store of the list (the StatefulSets), and kafka, which every service uses */
const K8S_STORE: Record<string, string> = {
  mongo: 'mongodb',
  redis: 'redis',
  elasticsearch: 'elasticsearch',
  postgres: 'postgres',
  cassandra: 'cassandra',
};
const reachOf = (services: readonly ListedService[]) =>
  Object.fromEntries(services.map((s) => [s.name, ['kafka', ...s.stores.map((st) => K8S_STORE[st])]]));

describe('npm run services:render', () => {
  it('lists what it writes: the list, the k8s template, the files with generated regions and the per-service manifests', () => {
    expect(targets).toEqual(
      expect.arrayContaining([
        SERVICE_LIST,
        'deploy/k8s/service.template.yaml',
        'deploy/gateway/gateway.conf.template',
        'docker-compose.yml',
        'deploy/k8s/base/ingress.yaml',
        'deploy/k8s/base/kustomization.yaml',
        'deploy/k8s/base/services/',
      ]),
    );
    for (const t of targets) expect([t, existsSync(join(ROOT, t))]).toEqual([t, true]);
  });

  it('finds nothing stale in the repository: every generated file and region is what deploy/services.json renders', () => {
    const r = render('--check');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('marks every file it writes whole as generated, and has one for each service and no other', () => {
    const dir = join(ROOT, 'deploy/k8s/base/services');
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort(),
    ).toEqual(SERVICE_NAMES.map((n) => `${n}.yaml`).sort());
    for (const name of SERVICE_NAMES) expect(readFileSync(join(dir, `${name}.yaml`), 'utf8').split('\n')[0]).toContain(GENERATED);
  });

  describe('on a scratch copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = scratchCopy();
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports a hand edit inside a generated region, and rendering puts it back; a second render changes nothing', () => {
      const compose = readIn(dir, 'docker-compose.yml');
      writeFileSync(join(dir, 'docker-compose.yml'), compose.replace("HTTP_PORT: '3003'", "HTTP_PORT: '4003'"));
      rmSync(join(dir, 'deploy/k8s/base/services/analytics-service.yaml'));
      writeFileSync(join(dir, 'deploy/k8s/base/services/old-service.yaml'), 'kind: Nothing\n');

      const stale = render('--check', `--root=${dir}`);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain('  docker-compose.yml\n');
      expect(stale.stderr).toContain('  deploy/k8s/base/services/analytics-service.yaml (missing)');
      expect(stale.stderr).toContain('  deploy/k8s/base/services/old-service.yaml (its service is not in the list: remove it)');

      expect(render(`--root=${dir}`).code).toBe(0);
      expect(readIn(dir, 'docker-compose.yml')).toBe(compose);
      expect(existsSync(join(dir, 'deploy/k8s/base/services/old-service.yaml'))).toBe(false);
      expect(render('--check', `--root=${dir}`).code).toBe(0);
      const again = render(`--root=${dir}`);
      expect([again.code, again.stdout.trim()]).toEqual([0, 'everything deploy/services.json drives is up to date']);
    });

    it('refuses a list it cannot render, naming the service and the field (negative)', () => {
      const [first, second] = LISTED_SERVICES;
      writeList(dir, [first, { ...second, port: first.port, stores: ['oracle'] }, ...LISTED_SERVICES.slice(2)]);
      const r = render('--check', `--root=${dir}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`services[1] (${second.name}).port: ${first.port} is taken by another service`);
      expect(r.stderr).toContain(`services[1] (${second.name}).stores: "oracle" is not one of`);
      expect(r.stderr).toContain(`services[1] (${second.name}).mongoDatabase: is the database of a service with the store mongo`);
    });

    it('refuses a file whose generated region lost its END line (negative)', () => {
      const path = 'deploy/k8s/base/kustomization.yaml';
      writeFileSync(join(dir, path), readIn(dir, path).replace(/^.*END generated \(kustomize-services\)\n/m, ''));
      const r = render('--check', `--root=${dir}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/deploy\/k8s\/base\/kustomization\.yaml:\d+: region kustomize-services has no line/);
    });
  });

  describe('a sixth service, added to the list alone', () => {
    const payments: ListedService = {
      name: 'payments-service',
      description: 'payments',
      port: 3006,
      routes: ['/api/payments'],
      health: '/api/payments/health',
      stores: ['postgres'],
      personalData: true,
    };
    let dir: string;
    let services: readonly ListedService[];
    let manifests: K8sObject[];

    beforeAll(() => {
      dir = scratchCopy();
      writeList(dir, [...LISTED_SERVICES, payments]);
      const before = render('--check', `--root=${dir}`);
      expect(before.code).toBe(1);
      expect(before.stderr).toContain('deploy/k8s/base/services/payments-service.yaml (missing)');
      const r = render(`--root=${dir}`);
      expect([r.code, r.stderr]).toEqual([0, '']);
      services = readServiceList(dir);
      const built = tool('kustomize', ['build', join(dir, 'deploy/k8s/overlays/dev')]);
      expect([built.code, built.stderr]).toEqual([0, '']);
      manifests = parseManifests(built.stdout);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('leaves nothing stale', () => {
      expect(render('--check', `--root=${dir}`).code).toBe(0);
      expect(services.map((s) => s.name)).toEqual([...SERVICE_NAMES, 'payments-service']);
    });

    it('gets a gateway upstream, its readiness and resource routes, no-store on its refusals, and a port in the native gateway', () => {
      const template = readIn(dir, 'deploy/gateway/gateway.conf.template');
      expect(template).toContain('upstream payments_service { server ${SERVICES_HOST}:${PAYMENTS_SERVICE_PORT}; keepalive 64; }');
      const routes = parseGatewayRoutes(template);
      expect(routes.filter((r) => r.service === 'payments-service')).toEqual([
        {
          path: '/api/payments/health',
          match: 'exact',
          upstream: 'payments_service',
          service: 'payments-service',
          rewriteTo: '/health/ready',
          unbuffered: false,
          limitZone: 'gateway_writes',
        },
        {
          path: '/api/payments',
          match: 'prefix',
          upstream: 'payments_service',
          service: 'payments-service',
          unbuffered: false,
          limitZone: 'gateway_writes',
        },
      ]);
      // every route the gateway had is still there
      expect(routes.filter((r) => r.service !== 'payments-service')).toEqual(gatewayRoutes());
      expect(template).toMatch(/"~\^\\\|\/api\/\([a-z|]*\|payments\)\(\/\|\$\)" "no-store";/);
      const native = readIn(dir, 'tools/stack/servers/gateway.sh');
      expect(native).toMatch(/^GATEWAY_VARS\+=\(.* PAYMENTS_SERVICE_PORT\)$/m);
      expect(native).toContain(': "${PAYMENTS_SERVICE_PORT:=3006}"');
    });

    (existsSync(NGINX) ? it : it.skip)('renders a gateway config nginx accepts', () => {
      const values: Record<string, string> = { SERVICES_HOST: '127.0.0.1', GATEWAY_PORT: '127.0.0.1:18080' };
      for (const s of services) values[portVariable(s.name)] = String(s.port);
      for (const file of ['rate-limits.local.env'])
        for (const m of readIn(dir, `deploy/gateway/${file}`).matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)) values[m[1]] = m[2].trim();
      const conf = readIn(dir, 'deploy/gateway/gateway.conf.template').replace(/\$\{([A-Z_]+)\}/g, (m, name: string) => values[name] ?? m);
      expect(conf).not.toMatch(/\$\{[A-Z_]+\}/);
      const nginxDir = join(dir, 'nginx');
      mkdirSync(join(nginxDir, 'tmp'), { recursive: true });
      writeFileSync(join(nginxDir, 'gateway.conf'), conf);
      const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${nginxDir}/tmp/${t};`).join(' ');
      writeFileSync(
        join(nginxDir, 'nginx.conf'),
        `pid ${nginxDir}/nginx.pid; error_log stderr warn; events {} http { access_log off; ${temp} include ${nginxDir}/gateway.conf; }\n`,
      );
      const r = spawnSync(NGINX, ['-t', '-q', '-c', join(nginxDir, 'nginx.conf'), '-e', 'stderr'], { encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([0, '']);
    });

    it('gets a compose block built from deploy/Dockerfile with its ports, its store, and a place behind the containers gateway', () => {
      const compose = parse(readIn(dir, 'docker-compose.yml'), { merge: true }) as {
        services: Record<
          string,
          { profiles?: string[]; build?: unknown; environment?: Record<string, string>; depends_on?: Record<string, unknown> }
        >;
      };
      const s = compose.services['payments-service'];
      expect(s?.profiles).toEqual(['apps']);
      expect(s?.build).toEqual({
        context: '.',
        dockerfile: 'deploy/Dockerfile',
        args: { SERVICE: 'payments-service', PORT: '3006', MANAGEMENT_PORT: '9006' },
      });
      expect(s?.environment).toMatchObject({ HTTP_PORT: '3006', POSTGRES_HOST: 'postgres' });
      expect(s?.environment?.['MONGODB_URI']).toBeUndefined();
      expect(s?.depends_on).toEqual({
        'apps-pod': { condition: 'service_started' },
        kafka: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      for (const gateway of ['gateway', 'apps-gateway'])
        expect(compose.services[gateway]?.environment?.['PAYMENTS_SERVICE_PORT']).toBe('3006');
      expect(compose.services['apps-gateway']?.depends_on?.['payments-service']).toEqual({ condition: 'service_healthy' });
    });

    it('gets its kubernetes manifests from the template, listed in the kustomization and the dev overlay', () => {
      expect(readIn(dir, 'deploy/k8s/base/services/payments-service.yaml').split('\n')[0]).toContain(GENERATED);
      expect(readIn(dir, 'deploy/k8s/base/kustomization.yaml')).toMatch(/^ {2}- services\/payments-service\.yaml$/m);
      const deployment = named<Workload>(manifests, 'Deployment', 'payments-service');
      const container = deployment?.spec.template.spec.containers[0];
      expect(container?.image).toBe('ecom/payments-service:dev');
      expect(container?.ports).toEqual([
        { name: 'http', containerPort: 3006, protocol: 'TCP' },
        { name: 'management', containerPort: 9006, protocol: 'TCP' },
      ]);
      expect(container?.env?.map((e) => e.name)).toEqual(['POSTGRES_PASSWORD']);
      expect(named<ConfigMapObject>(manifests, 'ConfigMap', 'payments-service-config')?.data).toMatchObject({
        HTTP_PORT: '3006',
        MANAGEMENT_PORT: '9006',
        POSTGRES_HOST: 'postgres',
      });
      for (const kind of ['ServiceAccount', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy'])
        expect([kind, manifests.some((m) => m.kind === kind && m.metadata.name.startsWith('payments-service'))]).toEqual([kind, true]);
      // the Secret template is in the base file; the overlays drop the templates
      const own = parseManifests(readIn(dir, 'deploy/k8s/base/services/payments-service.yaml'));
      expect(named(own, 'Secret', 'payments-service-secrets')?.metadata.labels).toMatchObject({ 'ecom.dev/secret-template': 'true' });
    });

    it('is routed by the ingress as by the gateway: its resource prefix and its readiness', () => {
      const paths = (name: string) =>
        (named<IngressObject>(manifests, 'Ingress', name)?.spec.rules ?? [])
          .flatMap((r) => r.http?.paths ?? [])
          .filter((p) => p.backend.service?.name === 'payments-service');
      expect(paths('ecom-api')).toEqual([
        { path: '/api/payments', pathType: 'Prefix', backend: { service: { name: 'payments-service', port: { number: 3006 } } } },
      ]);
      expect(paths('ecom-health')).toEqual([
        { path: '/api/payments/health', pathType: 'Exact', backend: { service: { name: 'payments-service', port: { number: 3006 } } } },
      ]);
      expect(ingressRoutes(parseGatewayRoutes(readIn(dir, 'deploy/gateway/gateway.conf.template')))(manifests)).toEqual([]);
    });

    it('reaches exactly its store and kafka, and the datastores let it in', () => {
      expect(
        networkTopology({ expected: reachOf(services), ingressNamespace: 'ingress-nginx', monitoringNamespace: 'monitoring' })(manifests),
      ).toEqual([]);
    });
  });
});

// ---- the list says what the apps' code says -------------------------------------------------------------

/** the store each shared config piece connects to */
const STORE_OF_PIECE: Record<string, string> = {
  mongodbConfig: 'mongo',
  redisConfig: 'redis',
  elasticsearchConfig: 'elasticsearch',
  postgresConfig: 'postgres',
  cassandraConfig: 'cassandra',
};
const configSource = (name: string) =>
  readFileSync(join(ROOT, 'apps', name, 'src/app', `${name.replace(/-service$/, '')}.config.ts`), 'utf8');
const calls = (source: string, fn: string) => [...source.matchAll(new RegExp(`\\b${fn}\\(([^)]*)\\)`, 'g'))].map((m) => m[1].trim());

describe(SERVICE_LIST, () => {
  it('lists every service app, and nothing else', () => {
    const apps = readdirSync(join(ROOT, 'apps')).filter((d) => d.endsWith('-service') && existsSync(join(ROOT, 'apps', d, 'project.json')));
    expect([...SERVICE_NAMES].sort()).toEqual(apps.sort());
  });

  describe.each(LISTED_SERVICES)('$name', (s) => {
    const source = configSource(s.name);

    it('has the port its config defaults to', () => {
      expect(calls(source, 'httpConfig')).toEqual([String(s.port)]);
    });

    it('has the stores its config connects to, and the mongo database it names', () => {
      const stores = Object.entries(STORE_OF_PIECE)
        .filter(([piece]) => calls(source, piece).length > 0)
        .map(([, store]) => store);
      expect([...s.stores].sort()).toEqual(stores.sort());
      const mongo = calls(source, 'mongodbConfig').map((a) => a.replace(/^'|'$/g, ''));
      expect(s.mongoDatabase === undefined ? [] : [s.mongoDatabase]).toEqual(mongo);
    });

    it('signs tokens and seeds the admin exactly when its config says so', () => {
      expect(s.signsTokens === true).toBe(calls(source, 'jwtSignConfig').length > 0);
      expect(s.seedsAdmin === true).toBe(calls(source, 'adminSeedConfig').length > 0);
    });
  });

  it('names every service the way the projects depending on all of them select them (*-service)', () => {
    const projects = ['apps', 'tools'].flatMap((top) =>
      readdirSync(join(ROOT, top))
        .map((d) => join(top, d, 'project.json'))
        .filter((p) => existsSync(join(ROOT, p))),
    );
    const dependingOnAll = projects.filter((p) =>
      ((JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as { implicitDependencies?: string[] }).implicitDependencies ?? []).includes(
        '*-service',
      ),
    );
    // the e2e suite, the fault, rollout and delivery checks: a new service joins them by its name alone
    expect(dependingOnAll.length).toBeGreaterThanOrEqual(4);
    expect(SERVICE_NAMES.filter((n) => !n.endsWith('-service'))).toEqual([]);
    const serviceProjects = readdirSync(join(ROOT, 'apps')).filter(
      (d) => d.endsWith('-service') && existsSync(join(ROOT, 'apps', d, 'project.json')),
    );
    expect(serviceProjects.sort()).toEqual([...SERVICE_NAMES].sort());
  });
});
