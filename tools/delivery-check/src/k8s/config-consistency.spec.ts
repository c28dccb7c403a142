// the manifests against the services' own config code: every variable a service needs in production is
// set, the values it gets load (with the secrets filled in), and the network lets it reach exactly the
// stores its config reads
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, httpConfig, loadConfig, type ConfigPiece } from '@ecom/config';
import { z } from 'zod';
import { ROOT } from '../support/tools';
import {
  BASE_DIR,
  copy,
  deployments,
  environmentOf,
  named,
  ofKind,
  overlayDir,
  providedVariables,
  rendered,
  statefulSets,
  workloads,
  type ConfigMapObject,
  type K8sObject,
  type NetworkPolicyObject,
  type SecretValue,
  type Workload,
} from './manifests';
import { DATA_TIER_DIR, STORE_LABEL, clientDurability, operatorObjects } from './data-tier';
import { networkTopology } from './policies';
import { configProblems, LOCAL_ADDRESS, missingVariables, requiredInProduction, servicePieces, variablesOf } from './required-variables';

/**
 * the prod overlay, and stand-ins for what its operators make (data-tier.ts, operatorObjects): the stores'
 * pods, Services, the Secrets they write and the NetworkPolicies Strimzi writes
 */
const prod = (() => {
  const applied = rendered(overlayDir('prod')).manifests;
  return [...applied, ...operatorObjects(applied)];
})();
/**
 * the overlay leaves the Secret templates out; the base and data-tier/ have them, with the keys each Secret
 * must hold. those the operators write are among the stand-ins
 */
const templates = [...ofKind(rendered(BASE_DIR).manifests, 'Secret'), ...ofKind(rendered(DATA_TIER_DIR).manifests, 'Secret')];
const withTemplates = (ms: readonly K8sObject[]) => [...ms, ...templates];

const services = deployments(prod).map((d) => d.metadata.name);
const mainContainer = (ms: readonly K8sObject[], service: string) => {
  const d = named<Workload>(ms, 'Deployment', service);
  if (!d) throw new Error(`no Deployment ${service}`);
  return d.spec.template.spec.containers[0];
};

/** stand-ins for what the real Secrets hold: a fresh key pair, an address, long url-safe strings */
const keys = generateKeyPairSync('ed25519');
const fill: SecretValue = (_secret, key) => {
  if (key === 'JWT_PUBLIC_KEY') return keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  if (key === 'JWT_PRIVATE_KEY') return keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  if (/EMAIL/.test(key)) return 'ops@shop.example';
  return `stand-in-${key.toLowerCase().replace(/_/g, '-')}-0123456789`;
};

describe('the services in the manifests', () => {
  it('are every service under apps/', () => {
    const apps = readdirSync(join(ROOT, 'apps')).filter((d) => d.endsWith('-service') && existsSync(join(ROOT, 'apps', d, 'src', 'app')));
    expect([...services].sort()).toEqual(apps.sort());
  });

  it('every container, datastores included, finds each ConfigMap, Secret template, key and $(VAR) it refers to', () => {
    const problems = workloads(prod).flatMap((w) =>
      w.spec.template.spec.containers.flatMap((c) =>
        environmentOf(c, withTemplates(prod)).problems.map((p) => `${w.metadata.name}/${c.name}: ${p}`),
      ),
    );
    expect(problems).toEqual([]);
  });
});

describe.each(services)('%s', (service) => {
  const pieces = servicePieces(service);
  const container = mainContainer(prod, service);

  it('sets every variable its config needs in production', () => {
    const required = requiredInProduction(pieces).map((v) => v.name);
    // what production can never do without, whichever stores the service has
    expect(required).toEqual(expect.arrayContaining(['NODE_ENV', 'JWT_PUBLIC_KEY', 'KAFKA_BROKERS', 'HTTP_TRUST_PROXY']));
    expect(missingVariables(required, providedVariables(container, withTemplates(prod)))).toEqual([]);
  });

  it('sets where it listens explicitly: the services default to loopback, which in a pod nobody reaches', () => {
    expect(requiredInProduction(pieces).map((v) => v.name)).toEqual(expect.arrayContaining(['HTTP_HOST', 'MANAGEMENT_HOST']));
    const { env } = environmentOf(container, withTemplates(prod), fill);
    expect([env['HTTP_HOST'], env['MANAGEMENT_HOST']]).toEqual(['0.0.0.0', '0.0.0.0']);
  });

  it('listens for metrics on the port its manifest declares, and believes exactly one proxy hop', () => {
    const { env } = environmentOf(container, withTemplates(prod), fill);
    const http = loadConfig([httpConfig(1)], env).http;
    const declared = (container.ports ?? []).find((p) => p.name === 'management')?.containerPort;
    expect(http.management.port).toBe(declared);
    expect(http.trustProxy).toEqual({ hops: 1 });
  });

  it("writes as the data tier needs to lose nothing to one node down: quorums, replicas, the Sentinels, majority writes", () => {
    const { env } = environmentOf(container, withTemplates(prod), fill);
    expect(clientDurability(service, loadConfig(pieces, env), prod)).toEqual([]);
  });

  it('starts: its config loads from the environment the manifests give it, the secrets filled in', () => {
    const { env, problems } = environmentOf(container, withTemplates(prod), fill);
    expect(problems).toEqual([]);
    expect(env['NODE_ENV']).toBe('production');
    expect(configProblems(pieces, env)).toEqual([]);
    expect(Object.entries(env).filter(([, value]) => LOCAL_ADDRESS.test(value))).toEqual([]);
  });
});

/**
 * the stores a service's config reads: its pieces named like a store's pods (mongodb, redis, kafka, ...), and
 * every group of pods the operator makes for that store (redis: the Sentinels as well)
 */
function storesOf(pieces: readonly ConfigPiece[], ms: readonly K8sObject[]): string[] {
  const keys = new Set(pieces.map((p) => p.key));
  return statefulSets(ms)
    .filter((s) => keys.has(s.metadata.labels?.[STORE_LABEL] ?? s.metadata.name))
    .map((s) => s.metadata.name);
}

const TOPOLOGY = { ingressNamespace: 'ingress-nginx', monitoringNamespace: 'monitoring' };
/** each service: the stores its config reads; each group of an operator's pods: the other groups of its store */
const expectedReach = Object.fromEntries([
  ...services.map((s) => [s, storesOf(servicePieces(s), prod)]),
  ...statefulSets(prod)
    .filter((w) => w.metadata.labels?.[STORE_LABEL])
    .map((w) => [
      w.metadata.name,
      statefulSets(prod)
        .filter((o) => o !== w && o.metadata.labels?.[STORE_LABEL] === w.metadata.labels?.[STORE_LABEL])
        .map((o) => o.metadata.name),
    ]),
]);

describe('the network', () => {
  it('is derived from the config: each service reaches the stores whose pieces it loads', () => {
    expect([...expectedReach['order-service']].sort()).toEqual(['kafka', 'postgres']);
    expect([...expectedReach['product-service']].sort()).toEqual(['elasticsearch', 'kafka', 'mongodb', 'redis', 'redis-sentinel']);
  });

  it('lets each service reach exactly those stores, the ingress controller and Prometheus reach the services, and no datastore anything else', () => {
    expect(networkTopology({ expected: expectedReach, ...TOPOLOGY })(prod)).toEqual([]);
  });
});

// ---- negative: the checks fail when the wiring is incomplete ---------------------------------------------

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the rendered prod overlay lacks what the test changes');
  return value;
}

// a piece someone might add: a key without a default, and an endpoint defaulting to this machine
const paymentsConfig = () =>
  defineConfig(
    'payments',
    z.object({
      PAYMENTS_API_KEY: z.string().min(1),
      PAYMENTS_URL: z.url().default('http://localhost:7000'),
      PAYMENTS_RETRIES: z.coerce.number().default(3),
    }),
    (v) => v,
  );

// and one that, like the JWT keys, has a development default that production refuses, naming the
// variable in its message only (no path), as auth.config.ts does
const featureConfig = () =>
  defineConfig(
    'feature',
    z.object({ NODE_ENV: z.string().optional(), FEATURE_SIGNING_SECRET: z.string().default('dev-only-secret') }).superRefine((v, ctx) => {
      if (v.NODE_ENV === 'production' && v.FEATURE_SIGNING_SECRET === 'dev-only-secret')
        ctx.addIssue({ code: 'custom', path: [], message: 'FEATURE_SIGNING_SECRET must be set in production' });
    }),
    (v) => v,
  );

describe('the consistency checks fail when they should (negative)', () => {
  it('derive what is required from the pieces: no default, refused in production, pointing at localhost', () => {
    const required = requiredInProduction([paymentsConfig(), featureConfig()]);
    expect(required.map((v) => v.name)).toEqual(['FEATURE_SIGNING_SECRET', 'NODE_ENV', 'PAYMENTS_API_KEY', 'PAYMENTS_URL']);
    expect(Object.fromEntries(required.map((v) => [v.name, v.reasons.join('; ')]))).toEqual({
      FEATURE_SIGNING_SECRET: 'production refuses its default: feature: FEATURE_SIGNING_SECRET must be set in production',
      NODE_ENV: 'must be production',
      PAYMENTS_API_KEY: 'has no default',
      PAYMENTS_URL: 'its default ("http://localhost:7000") points at the pod itself',
    });
    expect(variablesOf([paymentsConfig()]).find((v) => v.name === 'PAYMENTS_RETRIES')).toEqual({
      name: 'PAYMENTS_RETRIES',
      piece: 'payments',
      hasDefault: true,
      fallback: 3,
    });
  });

  it('a variable added to a service config without being wired into its manifests', () => {
    const pieces = [...servicePieces('order-service'), paymentsConfig(), featureConfig()];
    const required = requiredInProduction(pieces).map((v) => v.name);
    expect(missingVariables(required, providedVariables(mainContainer(prod, 'order-service'), withTemplates(prod)))).toEqual([
      'FEATURE_SIGNING_SECRET',
      'PAYMENTS_API_KEY',
      'PAYMENTS_URL',
    ]);
  });

  it('a key removed from a ConfigMap, a Secret template without its key', () => {
    const ms = copy(withTemplates(prod)) as K8sObject[];
    delete named<ConfigMapObject>(ms, 'ConfigMap', 'analytics-service-config')?.data?.['CASSANDRA_CONTACT_POINTS'];
    const secret = named<K8sObject & { stringData?: Record<string, string> }>(ms, 'Secret', 'user-service-secrets');
    delete secret?.stringData?.['ADMIN_PASSWORD'];
    const required = (service: string) => requiredInProduction(servicePieces(service)).map((v) => v.name);
    expect(missingVariables(required('analytics-service'), providedVariables(mainContainer(ms, 'analytics-service'), ms))).toEqual([
      'CASSANDRA_CONTACT_POINTS',
    ]);
    expect(missingVariables(required('user-service'), providedVariables(mainContainer(ms, 'user-service'), ms))).toEqual([
      'ADMIN_PASSWORD',
    ]);
  });

  it('a value the config refuses, a $(VAR) defined nowhere, a store left at localhost', () => {
    const ms = copy(withTemplates(prod)) as K8sObject[];
    const cm = named<ConfigMapObject>(ms, 'ConfigMap', 'user-service-config');
    if (cm?.data) {
      cm.data['KAFKA_BROKERS'] = 'kafka-0.kafka';
      cm.data['REDIS_ADDRESS'] = 'localhost:6379';
    }
    const uri = mainContainer(ms, 'user-service').env?.find((e) => e.name === 'MONGODB_URI');
    if (uri) uri.value = 'mongodb://user-service:$(MONGO_PASSWORD)@$(MONGODB_ADDRESS)/users';
    const { env, problems } = environmentOf(mainContainer(ms, 'user-service'), ms, fill);
    expect(problems).toEqual(['MONGODB_URI: $(MONGO_PASSWORD) is not defined before it, so the kubelet leaves it as it is']);
    expect(configProblems(servicePieces('user-service'), env).join('\n')).toMatch(/^KAFKA_BROKERS: each entry must be host:port/m);
    expect(Object.keys(env).filter((k) => LOCAL_ADDRESS.test(env[k]))).toEqual(['REDIS_ADDRESS', 'REDIS_URL']);
  });

  it('the data tier: a replication factor of 1, one search replica too few, no Sentinels, no majority', () => {
    const ms = copy(withTemplates(prod)) as K8sObject[];
    const data = (service: string) => must(named<ConfigMapObject>(ms, 'ConfigMap', `${service}-config`)?.data);
    data('analytics-service')['CASSANDRA_REPLICATION_FACTOR'] = '1';
    data('analytics-service')['CASSANDRA_LOCAL_DC'] = 'datacenter1';
    data('product-service')['ELASTICSEARCH_INDEX_REPLICAS'] = '0';
    delete data('product-service')['REDIS_SENTINELS'];
    data('product-service')['REDIS_WAIT_FOR_REPLICAS'] = '0';
    const uri = mainContainer(ms, 'product-service').env?.find((e) => e.name === 'MONGODB_URI');
    if (uri?.value) uri.value = uri.value.replace('&w=majority', '');
    const problems = (service: string) =>
      clientDurability(service, loadConfig(servicePieces(service), environmentOf(mainContainer(ms, service), ms, fill).env), ms);
    expect(problems('analytics-service')).toEqual([
      'analytics-service: CASSANDRA_LOCAL_DC datacenter1 is no datacenter of the K8ssandraCluster',
      "analytics-service: CASSANDRA_REPLICATION_FACTOR 1, not 3 or more and at most the datacenter's 0 nodes",
    ]);
    expect(problems('product-service')).toEqual([
      'product-service: ELASTICSEARCH_INDEX_REPLICAS 0: a node lost loses shards, or replicas have no node to go to',
      'product-service: no REDIS_SENTINELS: a failover leaves it on the old primary',
      'product-service: REDIS_WAIT_FOR_REPLICAS 0: a failover may lose an acknowledged write',
      'product-service: MONGODB_URI does not write to a majority (w=majority)',
    ]);
  });

  it('missingVariables takes any list of names, a compose service environment too', () => {
    const composeEnvironment = { NODE_ENV: 'production', KAFKA_BROKERS: 'kafka:9092' };
    expect(missingVariables(['NODE_ENV', 'KAFKA_BROKERS', 'JWT_PUBLIC_KEY', 'JWT_PUBLIC_KEY'], Object.keys(composeEnvironment))).toEqual([
      'JWT_PUBLIC_KEY',
    ]);
  });

  it('the network: a store the config does not use made reachable, a store it uses cut off', () => {
    const ms = copy(prod) as K8sObject[];
    const policy = (name: string) => {
      const np = named<NetworkPolicyObject>(ms, 'NetworkPolicy', name);
      if (!np) throw new Error(`no NetworkPolicy ${name}`);
      return np;
    };
    // order-service -> redis, allowed at both ends
    policy('order-service').spec.egress?.push({
      to: [{ podSelector: { matchLabels: { app: 'ecom-redis' } } }],
      ports: [{ port: 6379 }],
    });
    policy('ecom-redis-store').spec.ingress?.push({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'order-service' } } }],
    });
    // analytics-service -> kafka, dropped at one end
    const analytics = policy('analytics-service');
    analytics.spec.egress = analytics.spec.egress?.filter((rule) => !JSON.stringify(rule).includes('strimzi.io'));
    expect(networkTopology({ expected: expectedReach, ...TOPOLOGY })(ms)).toEqual([
      'Deployment/analytics-service cannot reach StatefulSet/kafka on 9093',
      'Deployment/order-service can reach StatefulSet/redis (on 6379), which its config does not use',
    ]);
  });

  it('the network: a datastore open to the ingress controller, a service the ingress cannot reach, no dns', () => {
    const ms = copy(prod) as K8sObject[];
    const np = (name: string) => named<NetworkPolicyObject>(ms, 'NetworkPolicy', name);
    np('orders-db-store')?.spec.ingress?.push({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
    });
    const order = np('order-service');
    if (order) {
      order.spec.ingress = [];
      order.spec.egress = order.spec.egress?.filter((rule) => !JSON.stringify(rule).includes('kube-dns'));
    }
    expect(networkTopology({ expected: expectedReach, ...TOPOLOGY })(ms)).toEqual([
      'Deployment/order-service: cannot reach kube-dns on 53 (udp and tcp)',
      'Deployment/order-service: the ingress controller (namespace ingress-nginx) cannot reach 3003',
      'Deployment/order-service: Prometheus (namespace monitoring) cannot scrape 9003',
      'StatefulSet/postgres: the ingress controller can reach 5432',
      'StatefulSet/postgres: the ingress controller can reach 8000',
      'StatefulSet/postgres: the ingress controller can reach 9187',
    ]);
  });

  it('the network: the ingress controller let in to the management port, Prometheus to the public one', () => {
    const ms = copy(prod) as K8sObject[];
    const user = named<NetworkPolicyObject>(ms, 'NetworkPolicy', 'user-service');
    // as the policy was: both namespaces, on both ports
    for (const rule of user?.spec.ingress ?? []) {
      rule.from = [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      ];
    }
    expect(networkTopology({ expected: expectedReach, ...TOPOLOGY })(ms)).toEqual([
      'Deployment/user-service: the ingress controller can reach 9001 (management), not only the http port',
      'Deployment/user-service: Prometheus (namespace monitoring) can reach the http port 3001; it scrapes the management port',
    ]);
  });
});
