// the delivery rules on every overlay as rendered, and for each family of rules a manifest broken on
// purpose, to show the rule notices
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/tools';
import {
  BASE_DIR,
  DATASTORES_DIR,
  copy,
  deployments,
  named,
  OVERLAYS,
  overlayDir,
  rendered,
  type ConfigMapObject,
  type Container,
  type HpaObject,
  type K8sObject,
  type NetworkPolicyObject,
  type Overlay,
  type PdbObject,
  type SecretObject,
  type ServiceObject,
  type Workload,
} from './manifests';
import {
  autoscaling,
  disruptionBudgets,
  gracefulShutdown,
  images,
  imagesMatchCompose,
  kafkaKraft,
  networkIsolation,
  noPlainCredentials,
  podSecurity,
  PUBLIC_SECRET,
  preStopSleepSeconds,
  probes,
  resources,
  restrictedNamespaces,
  rollingUpdates,
  secretsHoldNoValues,
  serviceWiring,
  statefulSetStorage,
  type Policy,
} from './policies';

/** the datastores whose images write to their root filesystem at start (deploy/README.md, "Security") */
const WRITABLE_ROOT = ['cassandra', 'elasticsearch', 'kafka'];

/** the user our images run as (node's, in the node images) */
const SECURITY = podSecurity({ writableRoot: WRITABLE_ROOT, appUser: 1000, appGroup: 1000 });

const SCALING: Record<Overlay, Parameters<typeof autoscaling>[0]> = {
  // the figures the users gave: 2 to 10 replicas at 70 % cpu
  prod: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 },
  dev: { minReplicas: 1, maxReplicas: 3, cpuUtilization: 70 },
};

/** the images built here, pushed to whichever registry (kustomize edit set image ecom/x=registry/ecom/x:tag) */
const OWN_IMAGE = /(^|\/)ecom\/[a-z0-9-]+$/;

const OWN_TAG: Record<Overlay, RegExp> = { prod: /^\d+\.\d+\.\d+$/, dev: /^dev$/ };

/** PostgreSQL releases are major.minor since 10: 15.19 is exact, 15 floats */
const TWO_PART = ['postgres'];

interface Compose {
  services?: Record<string, { image?: string }>;
}
const composeImages = Object.values((parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose).services ?? {})
  .map((s) => s.image)
  .filter((i): i is string => !!i);

const policiesFor = (overlay: Overlay): [string, Policy][] => [
  ['probes', probes],
  ['resources', resources],
  ['pod security', SECURITY],
  ['rolling updates', rollingUpdates],
  ['graceful shutdown', gracefulShutdown],
  ['disruption budgets', disruptionBudgets],
  ['autoscaling', autoscaling(SCALING[overlay])],
  ['service wiring', serviceWiring],
  ['images', images({ own: OWN_IMAGE, ownTag: OWN_TAG[overlay], twoPartVersions: TWO_PART })],
  ['images match docker-compose.yml', imagesMatchCompose(composeImages)],
  ['secrets hold no values', secretsHoldNoValues],
  ['no plain credentials', noPlainCredentials],
  ['statefulset storage', statefulSetStorage],
  ['kafka in kraft mode', kafkaKraft],
  ['restricted namespaces', restrictedNamespaces],
  ['network isolation', networkIsolation],
];

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const { manifests } = rendered(overlayDir(overlay));
  it.each(policiesFor(overlay))('%s', (_, policy) => {
    expect(policy(manifests)).toEqual([]);
  });
});

describe('the Secret templates', () => {
  const secrets = (dir: string) => rendered(dir).manifests.filter((m) => m.kind === 'Secret');

  it('the base has one with no values for every service', () => {
    const { manifests } = rendered(BASE_DIR);
    expect(secrets(BASE_DIR).map((s) => s.metadata.name).sort()).toEqual(deployments(manifests).map((d) => `${d.metadata.name}-secrets`).sort());
  });

  it('the single-pod stores have one for every store with credentials', () => {
    expect(secrets(DATASTORES_DIR).map((s) => s.metadata.name).sort()).toEqual([
      'elasticsearch-credentials',
      'mongodb-credentials',
      'postgres-credentials',
      'redis-credentials',
    ]);
  });

  it('all hold no values and say they are templates', () => {
    for (const dir of [BASE_DIR, DATASTORES_DIR]) {
      expect(secretsHoldNoValues(secrets(dir))).toEqual([]);
      for (const s of secrets(dir)) expect(s.metadata.labels?.['ecom.dev/secret-template']).toBe('true');
    }
  });
});

// ---- negative: each family of rules, fed a manifest broken on purpose --------------------------------------

const prod = rendered(overlayDir('prod')).manifests;
/**
 * what the rules are fed broken: the prod overlay, and the dev overlay's single-pod stores, so every rule
 * has objects of its kind to break (prod's stores are the operators', checked in data-tier.spec.ts)
 */
const sample = [...prod, ...rendered(DATASTORES_DIR).manifests];

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the sample has no ${what}`);
  return value;
}

/** a copy of the sample, changed by `change` */
function broken(change: (ms: K8sObject[]) => void): K8sObject[] {
  const ms = copy(sample) as K8sObject[];
  change(ms);
  return ms;
}

const deployment = (ms: K8sObject[], name = 'order-service') => must(named<Workload>(ms, 'Deployment', name), `Deployment ${name}`);
const statefulSet = (ms: K8sObject[], name: string) => must(named<Workload>(ms, 'StatefulSet', name), `StatefulSet ${name}`);
const container = (w: Workload) => w.spec.template.spec.containers[0];
const remove = (ms: K8sObject[], kind: string, name: string) => ms.splice(ms.indexOf(must(named(ms, kind, name), `${kind} ${name}`)), 1);

describe('each rule reports what it is for (negative)', () => {
  it('probes: missing startup probe, readiness on the wrong path, a datastore without liveness', () => {
    const ms = broken((m) => {
      delete container(deployment(m)).startupProbe;
      container(deployment(m, 'user-service')).readinessProbe = { httpGet: { path: '/health/live', port: 'http' } };
      delete container(statefulSet(m, 'redis')).livenessProbe;
    });
    const found = probes(ms);
    expect(found).toEqual(
      expect.arrayContaining([
        'StatefulSet/redis container redis: no livenessProbe',
        'Deployment/order-service container order-service: no startupProbe',
        'Deployment/user-service container user-service: readinessProbe must GET /health/ready',
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it('resources: no memory limit, a request above its limit', () => {
    const ms = broken((m) => {
      delete container(deployment(m)).resources?.limits?.['memory'];
      const r = container(statefulSet(m, 'postgres')).resources;
      if (r?.requests) r.requests['cpu'] = '4';
    });
    expect(resources(ms)).toEqual(
      expect.arrayContaining([
        'Deployment/order-service container order-service: no memory limit',
        'StatefulSet/postgres container postgres: cpu request above its limit',
      ]),
    );
    expect(resources(ms)).toHaveLength(2);
  });

  it('pod security: root, privilege escalation, capabilities, seccomp, writable root, token, service links', () => {
    const ms = broken((m) => {
      const d = deployment(m);
      const pod = d.spec.template.spec;
      const sc = container(d).securityContext ?? {};
      sc.runAsNonRoot = false;
      sc.runAsUser = 0;
      sc.allowPrivilegeEscalation = true;
      sc.readOnlyRootFilesystem = false;
      sc.capabilities = { drop: ['NET_RAW'], add: ['SYS_ADMIN'] };
      delete pod.securityContext?.seccompProfile;
      pod.automountServiceAccountToken = true;
      delete pod.enableServiceLinks;
      container(statefulSet(m, 'redis')).securityContext = {
        ...container(statefulSet(m, 'redis')).securityContext,
        readOnlyRootFilesystem: false,
      };
    });
    const found = SECURITY(ms).join('\n');
    for (const expected of [
      'Deployment/order-service: automountServiceAccountToken must be false',
      'Deployment/order-service: enableServiceLinks must be false',
      'container order-service: runAsNonRoot must be true',
      'container order-service: runAsUser must be a numeric non-root uid',
      'container order-service: runAsUser must be 1000',
      'container order-service: allowPrivilegeEscalation must be false',
      'container order-service: capabilities must drop ALL',
      'container order-service: adds capabilities SYS_ADMIN',
      'container order-service: seccompProfile must be RuntimeDefault',
      'container order-service: readOnlyRootFilesystem must be true',
      // redis is not on the list of images that need a writable root
      'StatefulSet/redis container redis: readOnlyRootFilesystem must be true',
    ])
      expect(found).toContain(expected);
  });

  it('pod security: a read-only root without a writable /tmp', () => {
    const ms = broken((m) => {
      container(deployment(m)).volumeMounts = [];
    });
    expect(SECURITY(ms)).toEqual(['Deployment/order-service container order-service: needs an emptyDir at /tmp']);
  });

  it('rolling updates: a surge of 2, one pod allowed down, Recreate', () => {
    const ms = broken((m) => {
      deployment(m).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } };
      deployment(m, 'user-service').spec.strategy = { type: 'Recreate' };
    });
    expect(rollingUpdates(ms)).toEqual(
      expect.arrayContaining([
        'Deployment/order-service: maxSurge must be 1',
        'Deployment/order-service: maxUnavailable must be 0',
        'Deployment/user-service: strategy must be RollingUpdate',
      ]),
    );
  });

  it('graceful shutdown: a grace period shorter than sleep plus drain, no preStop, the drain left implicit', () => {
    const ms = broken((m) => {
      deployment(m).spec.template.spec.terminationGracePeriodSeconds = 15; // = 5 s sleep + 10 s drain: not enough
      delete container(deployment(m, 'user-service')).lifecycle;
      delete must(named<ConfigMapObject>(m, 'ConfigMap', 'product-service-config'), 'its ConfigMap').data?.['SHUTDOWN_TIMEOUT_MS'];
    });
    expect(gracefulShutdown(ms)).toEqual(
      expect.arrayContaining([
        'Deployment/order-service container order-service: terminationGracePeriodSeconds 15 must exceed the preStop sleep (5 s) plus the drain (10 s)',
        'Deployment/user-service container user-service: needs a preStop sleep (lifecycle.preStop.sleep or exec sleep N)',
        'Deployment/product-service container product-service: SHUTDOWN_TIMEOUT_MS must be set explicitly (in its ConfigMap)',
      ]),
    );
    expect(gracefulShutdown(ms)).toHaveLength(3);
  });

  it('graceful shutdown: reads every form of preStop sleep', () => {
    const c = { name: 'x' };
    expect(preStopSleepSeconds({ ...c, lifecycle: { preStop: { sleep: { seconds: 5 } } } })).toBe(5);
    expect(preStopSleepSeconds({ ...c, lifecycle: { preStop: { exec: { command: ['sleep', '7'] } } } })).toBe(7);
    expect(preStopSleepSeconds({ ...c, lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 3'] } } } })).toBe(3);
    expect(preStopSleepSeconds({ ...c, lifecycle: { preStop: { exec: { command: ['nodetool', 'drain'] } } } })).toBeUndefined();
  });

  it('disruption budgets: none for a Deployment, one that blocks every drain', () => {
    const ms = broken((m) => {
      remove(m, 'PodDisruptionBudget', 'order-service');
      must(named<PdbObject>(m, 'PodDisruptionBudget', 'user-service'), 'a PDB').spec.maxUnavailable = 0;
    });
    const found = disruptionBudgets(ms);
    expect(found).toEqual(
      expect.arrayContaining([
        'PodDisruptionBudget/user-service: maxUnavailable 0 blocks every drain',
        'Deployment/order-service: no PodDisruptionBudget selects its pods',
      ]),
    );
    expect(found).toHaveLength(2);
  });

  it('autoscaling: no HPA, the wrong bounds and target, replicas pinned', () => {
    const ms = broken((m) => {
      remove(m, 'HorizontalPodAutoscaler', 'order-service');
      const h = must(named<HpaObject>(m, 'HorizontalPodAutoscaler', 'user-service'), 'an HPA');
      h.spec.minReplicas = 1;
      h.spec.maxReplicas = 20;
      h.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 90 } } }];
      deployment(m, 'product-service').spec.replicas = 3;
    });
    expect(autoscaling(SCALING.prod)(ms)).toEqual(
      expect.arrayContaining([
        'Deployment/order-service: no HorizontalPodAutoscalers target it',
        'HorizontalPodAutoscaler/user-service: minReplicas must be 2',
        'HorizontalPodAutoscaler/user-service: maxReplicas must be 10',
        'HorizontalPodAutoscaler/user-service: must target 70 % average cpu utilization',
        'Deployment/product-service: spec.replicas is set; the HorizontalPodAutoscaler owns it',
      ]),
    );
  });

  it('service wiring: no Service, a Service aimed at a port nobody exposes, no scrape annotations', () => {
    const ms = broken((m) => {
      remove(m, 'Service', 'order-service');
      const s = must(named<ServiceObject>(m, 'Service', 'user-service'), 'a Service');
      if (s.spec.ports) s.spec.ports[0].targetPort = 'metrics';
      delete deployment(m, 'product-service').spec.template.metadata?.annotations;
    });
    expect(serviceWiring(ms)).toEqual(
      expect.arrayContaining([
        'Deployment/order-service: no Service selects its pods',
        'Service/user-service: port 3001 targets metrics, which no container exposes',
        'Deployment/product-service: needs prometheus.io/scrape, /port (a container port) and /path (/metrics) annotations',
      ]),
    );
  });

  it('service wiring: Prometheus sent to the public port for /metrics', () => {
    const ms = broken((m) => {
      const annotations = deployment(m, 'user-service').spec.template.metadata?.annotations;
      if (annotations) annotations['prometheus.io/port'] = '3001';
    });
    expect(serviceWiring(ms)).toEqual([
      'Deployment/user-service: prometheus.io/port 3001 must be its container port named management; /metrics is not on the public port',
    ]);
  });

  it('images: latest, no tag, a floating datastore tag, a dev tag in prod, a version docker-compose.yml does not run', () => {
    const ms = broken((m) => {
      container(deployment(m)).image = 'ecom/order-service:latest';
      container(deployment(m, 'user-service')).image = 'ecom/user-service';
      container(deployment(m, 'product-service')).image = 'registry.example.com/ecom/product-service:dev';
      container(deployment(m, 'analytics-service')).image = 'registry.example.com/ecom/analytics-service:0.2.0';
      container(statefulSet(m, 'redis')).image = 'redis:7.4';
      container(statefulSet(m, 'postgres')).image = 'postgres:16.4';
      container(statefulSet(m, 'mongodb')).image = 'mongo:7.0';
    });
    const found = images({ own: OWN_IMAGE, ownTag: OWN_TAG.prod, twoPartVersions: TWO_PART })(ms);
    expect(found).toEqual(
      expect.arrayContaining([
        'Deployment/order-service container order-service: image ecom/order-service:latest uses latest',
        'Deployment/user-service container user-service: image ecom/user-service has no tag',
        'Deployment/product-service container product-service: image registry.example.com/ecom/product-service:dev must be tagged like /^\\d+\\.\\d+\\.\\d+$/',
        'StatefulSet/redis container redis: image redis:7.4 must pin an exact version',
        'StatefulSet/mongodb container mongodb: image mongo:7.0 must pin an exact version',
      ]),
    );
    expect(found).toHaveLength(5);
    expect(imagesMatchCompose(composeImages)(ms)).toEqual([
      "StatefulSet/postgres: image postgres:16.4 is not docker-compose.yml's postgres:15",
    ]);
  });

  it('secrets: a Secret with a value (stringData or data), a password in a ConfigMap, in an env literal, in a url', () => {
    const ms = broken((m) => {
      m.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'leak', namespace: 'ecom' },
        stringData: { JWT_PRIVATE_KEY: 'MC4CAQAw', ADMIN_EMAIL: '' },
      } as SecretObject);
      m.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'leak64', namespace: 'ecom' },
        data: { X: Buffer.from('hunter22').toString('base64'), Y: '' },
      } as SecretObject);
      const cm = must(named<ConfigMapObject>(m, 'ConfigMap', 'order-service-config'), 'a ConfigMap');
      if (cm.data) cm.data['POSTGRES_PASSWORD'] = 'ecom';
      const env = container(deployment(m, 'user-service')).env ?? [];
      env.push({ name: 'ADMIN_PASSWORD', value: 'admin-password-local' });
      const uri = env.find((e) => e.name === 'MONGODB_URI');
      if (uri) uri.value = 'mongodb://user-service:s3cret@$(MONGODB_ADDRESS)/users';
    });
    expect(secretsHoldNoValues(ms)).toEqual(['Secret/leak: JWT_PRIVATE_KEY holds a value', 'Secret/leak64: X holds a value']);
    expect(noPlainCredentials(ms)).toEqual(
      expect.arrayContaining([
        'ConfigMap/order-service-config: POSTGRES_PASSWORD is a credential in plain text; use a Secret',
        'Deployment/user-service container user-service: ADMIN_PASSWORD is a credential in plain text; use a Secret',
        'Deployment/user-service container user-service: MONGODB_URI spells out a password in a url',
      ]),
    );
    expect(
      secretsHoldNoValues([
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 't' },
          stringData: { A: '', B: 'REPLACE_ME', C: '<the key>' },
        } as SecretObject,
      ]),
    ).toEqual([]);
    // one labelled as holding no credentials may hold what names none, and nothing that does
    const labelled = (stringData: Record<string, string>) =>
      ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'roles', labels: { [PUBLIC_SECRET]: 'true' } }, stringData }) as SecretObject;
    expect(secretsHoldNoValues([labelled({ 'roles.yml': 'reader:\n  cluster: ["monitor"]\n' })])).toEqual([]);
    expect(
      secretsHoldNoValues([labelled({ ADMIN_PASSWORD: 'hunter22', 'users.yml': 'url: https://admin:hunter22@search:9200', 'a.yml': 'token: x' })]),
    ).toEqual([
      'Secret/roles: ADMIN_PASSWORD holds a value that looks like a credential',
      'Secret/roles: users.yml holds a value that looks like a credential',
      'Secret/roles: a.yml holds a value that looks like a credential',
    ]);
  });

  it('statefulsets: no headless Service, a Service with a cluster ip, no volumeClaimTemplates', () => {
    const ms = broken((m) => {
      remove(m, 'Service', 'mongodb');
      must(named<ServiceObject>(m, 'Service', 'redis'), 'a Service').spec.clusterIP = '10.0.0.10';
      delete statefulSet(m, 'postgres').spec.volumeClaimTemplates;
    });
    expect(statefulSetStorage(ms)).toEqual(
      expect.arrayContaining([
        'StatefulSet/mongodb: serviceName must name its headless Service',
        'Service/redis: must be headless (clusterIP: None)',
        'StatefulSet/postgres: no volumeClaimTemplates',
      ]),
    );
  });

  it('kafka: roles without the controller, no quorum, and a ZooKeeper connection', () => {
    const ms = broken((m) => {
      const env = container(statefulSet(m, 'kafka')).env ?? [];
      const roles = env.find((e) => e.name === 'KAFKA_PROCESS_ROLES');
      if (roles) roles.value = 'broker';
      env.splice(
        env.findIndex((e) => e.name === 'KAFKA_CONTROLLER_QUORUM_VOTERS'),
        1,
      );
      env.push({ name: 'KAFKA_ZOOKEEPER_CONNECT', value: 'zookeeper:2181' });
    });
    expect(kafkaKraft(ms)).toEqual([
      'StatefulSet/kafka: KAFKA_PROCESS_ROLES must be broker,controller',
      'StatefulSet/kafka: no KAFKA_CONTROLLER_QUORUM_VOTERS',
      'StatefulSet/kafka: mentions ZooKeeper',
    ]);
    const neither = broken((m) => {
      remove(m, 'StatefulSet', 'kafka');
      remove(m, 'Kafka', 'ecom');
    });
    expect(kafkaKraft(neither)).toEqual(['no Kafka workload']);
  });

  it('kafka on Strimzi: node pools without the controller role, an even quorum, no broker', () => {
    const pool = (m: K8sObject[]) => must(named<K8sObject & { spec: { replicas: number; roles: string[] } }>(m, 'KafkaNodePool', 'nodes'), 'KafkaNodePool nodes');
    expect(kafkaKraft(broken((m) => (pool(m).spec.roles = ['broker'])))).toEqual([
      'Kafka/ecom: 0 KRaft controllers: an odd number, 3 or more, keeps a quorum with one lost',
    ]);
    expect(kafkaKraft(broken((m) => (pool(m).spec.replicas = 4)))).toEqual([
      'Kafka/ecom: 4 KRaft controllers: an odd number, 3 or more, keeps a quorum with one lost',
    ]);
    expect(kafkaKraft(broken((m) => (pool(m).spec.roles = ['controller'])))).toEqual(['Kafka/ecom: no KafkaNodePool with the broker role']);
  });

  it('namespaces: baseline instead of restricted, an undeclared namespace', () => {
    const ms = broken((m) => {
      const ns = must(named(m, 'Namespace', 'ecom'), 'the Namespace');
      if (ns.metadata.labels) ns.metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline';
      m.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'ecom-data' } });
    });
    expect(restrictedNamespaces(ms)).toEqual([
      'Namespace/ecom: pod-security.kubernetes.io/enforce must be restricted',
      'namespace ecom-data is used but not declared',
    ]);
  });

  it('network: no default deny, a workload without a policy, a rule open to every namespace, egress anywhere', () => {
    const ms = broken((m) => {
      remove(m, 'NetworkPolicy', 'default-deny');
      remove(m, 'NetworkPolicy', 'order-service');
      const redis = must(named<NetworkPolicyObject>(m, 'NetworkPolicy', 'redis'), 'a NetworkPolicy');
      redis.spec.ingress = [{ ports: [{ port: 6379, protocol: 'TCP' }] }];
      const user = must(named<NetworkPolicyObject>(m, 'NetworkPolicy', 'user-service'), 'a NetworkPolicy');
      user.spec.egress = [...(user.spec.egress ?? []), { to: [] }];
    });
    expect(networkIsolation(ms)).toEqual(
      expect.arrayContaining([
        'namespace ecom: no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)',
        'Deployment/order-service: no NetworkPolicy of its own selects its pods',
        'Deployment/order-service: reachable on 3003 from any namespace',
        'Deployment/order-service: may connect anywhere',
        'StatefulSet/redis: reachable on 6379 from any namespace',
        'Deployment/user-service: may connect anywhere',
      ]),
    );
  });
});

describe('dev and prod', () => {
  // where the stores are differs: prod's environment and CA volumes name what the operators make
  const apartFromStores = (c: Container) => ({ ...c, image: '', imagePullPolicy: '', resources: {}, env: [], volumeMounts: [] });

  it('run the services with the same container settings, apart from image, pull policy, size and where the stores are', () => {
    const dev = rendered(overlayDir('dev')).manifests;
    for (const d of deployments(prod)) {
      const other = must(named<Workload>(dev, 'Deployment', d.metadata.name), d.metadata.name);
      expect(apartFromStores(container(other))).toEqual(apartFromStores(container(d)));
      // every variable dev sets, prod sets too; and /tmp stays writable
      const names = (c: Container) => (c.env ?? []).map((e) => e.name);
      expect(names(container(d))).toEqual(expect.arrayContaining(names(container(other))));
      expect(container(d).volumeMounts).toEqual(expect.arrayContaining(container(other).volumeMounts ?? []));
    }
  });
});
