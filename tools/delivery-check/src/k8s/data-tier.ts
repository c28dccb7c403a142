// the production data tier's rules: each store's custom resources (deploy/k8s/data-tier) read through one
// adapter per operator kind, and the availability rules (replicas, spread, disruption budgets, surviving one
// node, backups) asked of every adapter alike. a rule returns its problems ("Kind/name: what is wrong").
import { K8S_DIR, id, ofKind, selects, type K8sObject, type LabelSelector, type PdbObject } from './manifests';
import type { Policy } from './policies';
import { crdSchemasDir, tool, type ToolResult } from '../support/tools';

export const DATA_TIER_DIR = `${K8S_DIR}/data-tier`;

/** kubeconform against the operators' CRDs (ensure-tools.sh crd-schemas), unknown fields rejected */
export function validateCustomResources(yaml: string): ToolResult {
  const location = `${crdSchemasDir()}/{{ .Group }}-{{ .ResourceKind }}-{{ .ResourceAPIVersion }}.json`;
  return tool('kubeconform', ['-strict', '-summary', '-schema-location', location, '-'], { input: yaml });
}

/** the api groups kubernetes itself serves: their objects are validated by kubernetes-validate, not here */
const BUILT_IN = /^(v1|(apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|storage\.k8s\.io)\/.+)$/;
export const isCustomResource = (m: K8sObject) => !BUILT_IN.test(m.apiVersion);

type Spec = Record<string, unknown>;
const specOf = (m: K8sObject): Spec => ((m as K8sObject & { spec?: Spec }).spec ?? {}) as Spec;
const at = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), o);
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

interface PlacementTerm {
  topologyKey?: string;
  labelSelector?: LabelSelector;
}
interface PodPlacement {
  affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: PlacementTerm[] } };
  topologySpreadConstraints?: (PlacementTerm & { whenUnsatisfiable?: string })[];
}

/**
 * whether a pod template keeps two of its pods off one host: required anti-affinity, or a hard spread, by
 * hostname, whose selector picks the pods the operator makes (their labels: `pods`). a selector that names
 * a label the pods do not carry keeps nothing apart
 */
export function spreadsOverHosts(pod: PodPlacement | undefined, pods: Record<string, string>): boolean {
  const host = 'kubernetes.io/hostname';
  const keepsApart = (t: PlacementTerm) => t.topologyKey === host && t.labelSelector !== undefined && selects(t.labelSelector, pods);
  const anti = pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const spread = pod?.topologySpreadConstraints ?? [];
  return anti.some(keepsApart) || spread.some((t) => keepsApart(t) && t.whenUnsatisfiable === 'DoNotSchedule');
}

/**
 * what the rules need to know of one operator's resource. pods: the labels of the pods it makes (for a
 * PodDisruptionBudget written beside it); ownBudget: the operator writes one itself, unless told not to
 */
export interface StoreKind {
  readonly store: string;
  readonly kind: string;
  /** members, and the least the store needs to keep a quorum and its data with one of them gone */
  replicas(m: K8sObject): number | undefined;
  spread(m: K8sObject): boolean;
  ownBudget(m: K8sObject): boolean;
  pods(m: K8sObject): Record<string, string>;
  /** what survives one member lost: problems, or none */
  survivesOneLoss(m: K8sObject, all: readonly K8sObject[]): string[];
  /** how its data is backed up: problems, or none. undefined: a store whose copies are its backup (Kafka) */
  backups?(m: K8sObject, all: readonly K8sObject[]): string[];
  /** what the operator makes of it that the services and the network rules rely on */
  made(m: K8sObject, all: readonly K8sObject[]): Made;
}

/**
 * the objects an operator makes from one resource, as far as the services see them. pods: their labels and
 * ports (name: the store the services' config calls it, e.g. postgres); services: the first port is the
 * one clients use; secrets: the keys of the Secrets it writes, which the services read
 */
export interface Made {
  readonly pods: readonly { name: string; labels: Record<string, string>; ports: Record<string, number> }[];
  readonly services: readonly { name: string; selector: Record<string, string>; port: number }[];
  readonly secrets: readonly { name: string; keys: readonly string[] }[];
  /** NetworkPolicies the operator writes itself */
  readonly policies?: readonly K8sObject[];
}

const kafkaConfig = (all: readonly K8sObject[], cluster: string) =>
  (at(specOf(all.find((m) => m.kind === 'Kafka' && m.metadata.name === cluster) ?? ({} as K8sObject)), 'kafka', 'config') ?? {}) as Spec;

/** the labels Strimzi puts on a node pool's pods */
const kafkaPoolPods = (m: K8sObject) => ({
  'strimzi.io/cluster': m.metadata.labels?.['strimzi.io/cluster'] ?? '',
  'strimzi.io/pool-name': m.metadata.name,
});
const replsets = (m: K8sObject) => (specOf(m)['replsets'] ?? []) as Spec[];
const datacenters = (m: K8sObject) => (at(specOf(m), 'cassandra', 'datacenters') ?? []) as Spec[];
const nodeSets = (m: K8sObject) => (specOf(m)['nodeSets'] ?? []) as Spec[];

// the Redis operator's two kinds say size, placement and budget alike
const OT_REDIS = {
  store: 'redis',
  replicas: (m: K8sObject) => num(specOf(m)['clusterSize']),
  ownBudget: (m: K8sObject) => at(specOf(m), 'pdb', 'enabled') === true,
};

/** the stores' kinds, by operator */
export const STORE_KINDS: readonly StoreKind[] = [
  {
    store: 'kafka',
    kind: 'KafkaNodePool',
    replicas: (m) => num(specOf(m)['replicas']),
    spread: (m) => spreadsOverHosts(at(specOf(m), 'template', 'pod') as PodPlacement, kafkaPoolPods(m)),
    // Strimzi writes a PodDisruptionBudget for every cluster (spec.kafka.template.podDisruptionBudget)
    ownBudget: () => true,
    pods: kafkaPoolPods,
    made: (m, all) => {
      const cluster = m.metadata.labels?.['strimzi.io/cluster'] ?? '';
      const labels = { ...kafkaPoolPods(m), 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${cluster}-kafka` };
      const kafka = all.find((o) => o.kind === 'Kafka' && o.metadata.name === cluster);
      const listeners = (at(specOf(kafka ?? ({} as K8sObject)), 'kafka', 'listeners') ?? []) as Spec[];
      const ports = Object.fromEntries([
        ['control-plane', 9090],
        ['replication', 9091],
        ...listeners.map((l) => [String(l['name']), num(l['port']) ?? 0]),
      ]);
      const clientPort = num(listeners[0]?.['port']) ?? 9092;
      // Strimzi writes the brokers' ingress: each listener from its networkPolicyPeers (anyone without), and
      // the brokers' own ports from the cluster's pods
      const policy = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${cluster}-network-policy-kafka`, namespace: m.metadata.namespace },
        spec: {
          podSelector: { matchLabels: { 'strimzi.io/cluster': cluster, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${cluster}-kafka` } },
          policyTypes: ['Ingress'],
          ingress: [
            { from: [{ podSelector: { matchLabels: { 'strimzi.io/cluster': cluster } } }], ports: [{ port: 9090 }, { port: 9091 }] },
            ...listeners.map((l) => ({
              ...((l['networkPolicyPeers'] as unknown[] | undefined)?.length ? { from: l['networkPolicyPeers'] } : {}),
              ports: [{ port: num(l['port']) }],
            })),
          ],
        },
      } as K8sObject;
      return {
        pods: [{ name: 'kafka', labels, ports }],
        services: [{ name: `${cluster}-kafka-bootstrap`, selector: { 'strimzi.io/cluster': cluster, 'strimzi.io/kind': 'Kafka' }, port: clientPort }],
        secrets: [{ name: `${cluster}-cluster-ca-cert`, keys: ['ca.crt', 'ca.p12', 'ca.password'] }],
        policies: [policy],
      };
    },
    survivesOneLoss: (m, all) => {
      const cluster = m.metadata.labels?.['strimzi.io/cluster'] ?? '';
      const config = kafkaConfig(all, cluster);
      const rf = num(config['default.replication.factor']);
      const isr = num(config['min.insync.replicas']);
      const out: string[] = [];
      if (rf === undefined || rf < 3) out.push(`Kafka/${cluster}: default.replication.factor ${rf ?? 'unset (1)'}, not 3 or more`);
      if (isr === undefined || isr < 2)
        out.push(`Kafka/${cluster}: min.insync.replicas ${isr ?? 'unset (1)'}: an acknowledged write may sit on one broker`);
      if (rf !== undefined && isr !== undefined && isr > rf - 1)
        out.push(`Kafka/${cluster}: min.insync.replicas ${isr} of ${rf}: one broker down stops every write`);
      for (const key of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor'])
        if ((num(config[key]) ?? 3) < 3) out.push(`Kafka/${cluster}: ${key} ${config[key]}, not 3 or more`);
      if (String(config['unclean.leader.election.enable']) === 'true')
        out.push(`Kafka/${cluster}: unclean leader election drops acknowledged writes`);
      for (const t of ofKind(all, 'KafkaTopic').filter((t) => t.metadata.labels?.['strimzi.io/cluster'] === cluster)) {
        const s = specOf(t);
        if ((num(s['replicas']) ?? rf ?? 1) < 3) out.push(`${id(t)}: ${s['replicas']} replicas, not 3 or more`);
        const topicIsr = num(at(s, 'config', 'min.insync.replicas'));
        if (topicIsr !== undefined && topicIsr < 2) out.push(`${id(t)}: min.insync.replicas ${topicIsr}`);
      }
      return out;
    },
  },
  {
    store: 'postgres',
    kind: 'Cluster',
    replicas: (m) => num(specOf(m)['instances']),
    spread: (m) =>
      at(specOf(m), 'affinity', 'enablePodAntiAffinity') !== false &&
      at(specOf(m), 'affinity', 'podAntiAffinityType') === 'required' &&
      (at(specOf(m), 'affinity', 'topologyKey') ?? 'kubernetes.io/hostname') === 'kubernetes.io/hostname',
    // CloudNativePG writes the primary's and the replicas' budgets unless enablePDB is false
    ownBudget: (m) => specOf(m)['enablePDB'] !== false,
    pods: (m) => ({ 'cnpg.io/cluster': m.metadata.name }),
    made: (m) => {
      const name = m.metadata.name;
      const labels = { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' };
      return {
        pods: [{ name: 'postgres', labels, ports: { postgresql: 5432, status: 8000, metrics: 9187 } }],
        services: [{ name: `${name}-rw`, selector: { 'cnpg.io/cluster': name }, port: 5432 }],
        secrets: [
          { name: `${name}-app`, keys: ['username', 'password', 'dbname', 'host', 'port', 'uri', 'jdbc-uri', 'pgpass'] },
          { name: `${name}-ca`, keys: ['ca.crt', 'ca.key'] },
        ],
      };
    },
    survivesOneLoss: (m) => {
      const sync = (at(specOf(m), 'postgresql', 'synchronous') ?? {}) as Spec;
      const out: string[] = [];
      if ((num(sync['number']) ?? 0) < 1) out.push(`${id(m)}: no synchronous standby: a failover may lose acknowledged commits`);
      if (sync['dataDurability'] === 'preferred')
        out.push(`${id(m)}: synchronous dataDurability preferred: commits go unreplicated when standbys are away`);
      if (String(at(specOf(m), 'postgresql', 'parameters', 'synchronous_commit') ?? 'on') !== 'on')
        out.push(`${id(m)}: synchronous_commit is not on`);
      return out;
    },
    backups: (m, all) => {
      const out: string[] = [];
      const plugins = (specOf(m)['plugins'] ?? []) as { name?: string; isWALArchiver?: boolean; parameters?: Spec }[];
      const archiver = plugins.find((p) => p.isWALArchiver);
      const store = archiver?.parameters?.['barmanObjectName'];
      if (!archiver && !at(specOf(m), 'backup', 'barmanObjectStore'))
        out.push(`${id(m)}: no WAL archiving (a barman cloud plugin as WAL archiver)`);
      if (archiver && !all.some((o) => o.kind === 'ObjectStore' && o.metadata.name === store))
        out.push(`${id(m)}: archives WAL to ObjectStore ${String(store)}, which is not declared`);
      if (
        !ofKind(all, 'ScheduledBackup').some((b) => at(specOf(b), 'cluster', 'name') === m.metadata.name && specOf(b)['suspend'] !== true)
      )
        out.push(`${id(m)}: no ScheduledBackup`);
      return out;
    },
  },
  {
    store: 'mongodb',
    kind: 'PerconaServerMongoDB',
    replicas: (m) => Math.min(...replsets(m).map((r) => num(r['size']) ?? 0)),
    spread: (m) => replsets(m).every((r) => at(r, 'affinity', 'antiAffinityTopologyKey') === 'kubernetes.io/hostname'),
    // the operator writes a replica set's budget when the replica set asks for one
    ownBudget: (m) =>
      replsets(m).every(
        (r) =>
          num(at(r, 'podDisruptionBudget', 'maxUnavailable')) !== undefined ||
          num(at(r, 'podDisruptionBudget', 'minAvailable')) !== undefined,
      ),
    pods: (m) => ({ 'app.kubernetes.io/instance': m.metadata.name }),
    made: (m) => {
      const name = m.metadata.name;
      return {
        pods: replsets(m).map((r) => ({
          name: 'mongodb',
          labels: {
            'app.kubernetes.io/name': 'percona-server-mongodb',
            'app.kubernetes.io/instance': name,
            'app.kubernetes.io/component': 'mongod',
            'app.kubernetes.io/replset': String(r['name']),
          },
          ports: { mongodb: 27017 },
        })),
        services: replsets(m).map((r) => ({
          name: `${name}-${String(r['name'])}`,
          selector: { 'app.kubernetes.io/instance': name, 'app.kubernetes.io/replset': String(r['name']) },
          port: 27017,
        })),
        secrets: [{ name: `${name}-ssl`, keys: ['ca.crt', 'tls.crt', 'tls.key'] }],
      };
    },
    survivesOneLoss: (m) =>
      replsets(m)
        .filter((r) => (num(r['size']) ?? 0) % 2 === 0 && at(r, 'arbiter', 'enabled') !== true)
        .map(
          (r) =>
            `${id(m)}: replica set ${String(r['name'])} has ${String(r['size'])} members: an even count tolerates no more losses than one fewer`,
        ),
    backups: (m) => {
      const backup = (specOf(m)['backup'] ?? {}) as Spec;
      const storages = Object.keys((backup['storages'] ?? {}) as Spec);
      const tasks = (backup['tasks'] ?? []) as Spec[];
      if (backup['enabled'] !== true) return [`${id(m)}: backups are not enabled`];
      return tasks.some((t) => t['enabled'] === true && storages.includes(String(t['storageName'])))
        ? []
        : [`${id(m)}: no enabled backup task writes to a declared storage`];
    },
  },
  {
    store: 'cassandra',
    kind: 'K8ssandraCluster',
    replicas: (m) => Math.min(...datacenters(m).map((d) => num(d['size']) ?? 0)),
    spread: (m) =>
      at(specOf(m), 'cassandra', 'softPodAntiAffinity') !== true && datacenters(m).every((d) => d['softPodAntiAffinity'] !== true),
    // cass-operator writes each datacenter's budget, one node at a time
    ownBudget: () => true,
    pods: (m) => ({ 'cassandra.datastax.com/cluster': m.metadata.name }),
    made: (m) => {
      const name = m.metadata.name;
      return {
        pods: datacenters(m).map((d) => ({
          name: 'cassandra',
          labels: { 'cassandra.datastax.com/cluster': name, 'cassandra.datastax.com/datacenter': String(at(d, 'metadata', 'name')) },
          ports: { native: 9042, internode: 7000, management: 8080, metrics: 9000 },
        })),
        services: datacenters(m).map((d) => ({
          name: `${name}-${String(at(d, 'metadata', 'name'))}-service`,
          selector: { 'cassandra.datastax.com/cluster': name, 'cassandra.datastax.com/datacenter': String(at(d, 'metadata', 'name')) },
          port: 9042,
        })),
        secrets: [],
      };
    },
    // the keyspace's replication factor is the service's (CASSANDRA_REPLICATION_FACTOR): checked with its config
    survivesOneLoss: () => [],
    backups: (m, all) => {
      const out: string[] = [];
      if (!at(specOf(m), 'medusa', 'storageProperties', 'storageProvider')) out.push(`${id(m)}: no Medusa storage for backups`);
      const dcs = datacenters(m).map((d) => at(d, 'metadata', 'name'));
      for (const dc of dcs)
        if (
          !ofKind(all, 'MedusaBackupSchedule').some(
            (b) => at(specOf(b), 'backupSpec', 'cassandraDatacenter') === dc && specOf(b)['disabled'] !== true,
          )
        )
          out.push(`${id(m)}: no MedusaBackupSchedule for datacenter ${String(dc)}`);
      return out;
    },
  },
  {
    store: 'elasticsearch',
    kind: 'Elasticsearch',
    replicas: (m) => nodeSets(m).reduce((n, s) => n + (num(s['count']) ?? 0), 0),
    spread: (m) =>
      nodeSets(m).every((s) =>
        spreadsOverHosts(at(s, 'podTemplate', 'spec') as PodPlacement, {
          'elasticsearch.k8s.elastic.co/cluster-name': m.metadata.name,
          'elasticsearch.k8s.elastic.co/statefulset-name': `${m.metadata.name}-es-${String(s['name'])}`,
        }),
      ),
    // ECK writes the cluster's budget unless podDisruptionBudget is given without a spec
    ownBudget: (m) => {
      const pdb = specOf(m)['podDisruptionBudget'] as Spec | undefined;
      return pdb === undefined || pdb['spec'] !== undefined;
    },
    pods: (m) => ({ 'elasticsearch.k8s.elastic.co/cluster-name': m.metadata.name }),
    made: (m) => {
      const name = m.metadata.name;
      const labels = { 'elasticsearch.k8s.elastic.co/cluster-name': name };
      return {
        pods: [{ name: 'elasticsearch', labels, ports: { https: 9200, transport: 9300 } }],
        services: [{ name: `${name}-es-http`, selector: labels, port: 9200 }],
        secrets: [
          { name: `${name}-es-http-certs-public`, keys: ['ca.crt', 'tls.crt'] },
          { name: `${name}-es-elastic-user`, keys: ['elastic'] },
        ],
      };
    },
    survivesOneLoss: (m) => {
      const masters = nodeSets(m)
        .filter((s) => {
          const roles = at(s, 'config', 'node.roles') as string[] | undefined;
          return roles === undefined || roles.includes('master');
        })
        .reduce((n, s) => n + (num(s['count']) ?? 0), 0);
      return masters >= 3 ? [] : [`${id(m)}: ${masters} master-eligible nodes: one lost leaves no quorum`];
    },
    // a job that declares the snapshot repository and a snapshot lifecycle policy through the cluster's api
    backups: (m, all) => {
      const declares = (o: K8sObject) => {
        const text = JSON.stringify(o);
        return text.includes(`${m.metadata.name}-es-http`) && text.includes('/_snapshot/') && text.includes('/_slm/policy/');
      };
      return all.some((o) => (o.kind === 'CronJob' || o.kind === 'Job') && declares(o))
        ? []
        : [`${id(m)}: no job declares a snapshot repository and policy`];
    },
  },
  {
    ...OT_REDIS,
    kind: 'RedisReplication',
    pods: (m) => ({ app: m.metadata.name, redis_setup_type: 'replication' }),
    made: (m) => {
      const labels = { app: m.metadata.name, redis_setup_type: 'replication' };
      return { pods: [{ name: 'redis', labels, ports: { redis: 6379 } }], services: [{ name: m.metadata.name, selector: labels, port: 6379 }], secrets: [] };
    },
    spread: (m) => spreadsOverHosts(specOf(m) as PodPlacement, { app: m.metadata.name, redis_setup_type: 'replication' }),
    survivesOneLoss: (m, all) => {
      const sentinels = ofKind(all, 'RedisSentinel').filter(
        (s) => at(specOf(s), 'redisSentinelConfig', 'redisReplicationName') === m.metadata.name,
      );
      if (sentinels.length === 0) return [`${id(m)}: no RedisSentinel watches it: a lost primary is never replaced`];
      return sentinels.flatMap((s) => {
        const size = num(specOf(s)['clusterSize']) ?? 0;
        const quorum = num(at(specOf(s), 'redisSentinelConfig', 'quorum')) ?? 2;
        // a majority agrees the primary is down, and one sentinel lost still leaves that many
        const majority = Math.floor(size / 2) + 1;
        return quorum < majority || quorum > size - 1
          ? [`${id(s)}: quorum ${quorum} of ${size} sentinels: a minority calls a failover, or one lost sentinel blocks it`]
          : [];
      });
    },
    // what it holds is kept on each node's volume (an append-only file) besides the replicas
    backups: (m, all) => {
      const config = String(at(specOf(m), 'redisConfig', 'additionalRedisConfig') ?? '');
      const map = all.find((o) => o.kind === 'ConfigMap' && o.metadata.name === config) as
        (K8sObject & { data?: Record<string, string> }) | undefined;
      const text = Object.values(map?.data ?? {}).join('\n');
      return /^appendonly yes$/m.test(text) && at(specOf(m), 'storage', 'volumeClaimTemplate')
        ? []
        : [`${id(m)}: no append-only file on a volume: a restart loses what it held`];
    },
  },
  {
    ...OT_REDIS,
    kind: 'RedisSentinel',
    // the operator names their StatefulSet, and labels the pods, <name>-sentinel
    pods: (m) => ({ app: `${m.metadata.name}-sentinel`, redis_setup_type: 'sentinel' }),
    made: (m) => {
      const labels = { app: `${m.metadata.name}-sentinel`, redis_setup_type: 'sentinel' };
      // the services' redis piece reads the Sentinels as well as the primary they name
      return {
        pods: [{ name: 'redis-sentinel', labels, ports: { sentinel: 26379 } }],
        services: [{ name: `${m.metadata.name}-sentinel`, selector: labels, port: 26379 }],
        secrets: [],
      };
    },
    spread: (m) => spreadsOverHosts(specOf(m) as PodPlacement, { app: `${m.metadata.name}-sentinel`, redis_setup_type: 'sentinel' }),
    survivesOneLoss: () => [],
  },
];

const kindsIn = (ms: readonly K8sObject[]) => STORE_KINDS.flatMap((k) => ofKind(ms, k.kind).map((m) => ({ k, m })));

/** every store the list names runs on its operator's resource */
export const storesDeclared =
  (stores: readonly string[]): Policy =>
  (ms) =>
    stores
      .filter((s) => !kindsIn(ms).some(({ k }) => k.store === s))
      .map((s) => `${s}: no ${STORE_KINDS.find((k) => k.store === s)?.kind ?? 'resource'} declares it`);

/** three members or more */
export const replicated: Policy = (ms) =>
  kindsIn(ms).flatMap(({ k, m }) => {
    const n = k.replicas(m);
    return n !== undefined && n >= 3 ? [] : [`${id(m)}: ${n ?? 'no'} replicas, not 3 or more`];
  });

/** no two members on one host */
export const spreadAcrossHosts: Policy = (ms) =>
  kindsIn(ms).flatMap(({ k, m }) =>
    k.spread(m) ? [] : [`${id(m)}: its pods may share a host (no required anti-affinity or hard spread by hostname)`],
  );

/** a PodDisruptionBudget keeps drains to one member at a time: the operator's own, or one written beside it */
export const storeBudgets: Policy = (ms) =>
  kindsIn(ms).flatMap(({ k, m }) => {
    if (k.ownBudget(m)) return [];
    const pods = k.pods(m);
    const written = ofKind<PdbObject>(ms, 'PodDisruptionBudget').some((p) => selects(p.spec.selector as LabelSelector, pods));
    return written ? [] : [`${id(m)}: no PodDisruptionBudget (the operator's is turned off and none selects its pods)`];
  });

/** one member lost loses no acknowledged write and stops no write */
export const survivesOneNodeLoss: Policy = (ms) => kindsIn(ms).flatMap(({ k, m }) => k.survivesOneLoss(m, ms));

/** every store that keeps data of its own has backups declared */
export const backupsDeclared: Policy = (ms) => kindsIn(ms).flatMap(({ k, m }) => k.backups?.(m, ms) ?? []);

/** the label on a stand-in for an operator's pods that names the store the services' config calls it */
export const STORE_LABEL = 'ecom.dev/store';

/**
 * stand-ins for what the operators make of the data tier: a StatefulSet per group of pods (named like the
 * store, labelled as the operator labels them, with their ports), the Services the clients use, the
 * Secrets the services read (templates: keys, no values) and the NetworkPolicies an operator writes. the
 * network and configuration checks then treat the prod overlay as they treat the single-pod stores
 */
export function operatorObjects(ms: readonly K8sObject[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const { k, m } of kindsIn(ms)) {
    const made = k.made(m, ms);
    const namespace = m.metadata.namespace;
    for (const p of made.pods) {
      out.push({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: p.name, namespace, labels: { [STORE_LABEL]: k.store } },
        spec: {
          selector: { matchLabels: p.labels },
          template: {
            metadata: { labels: p.labels },
            spec: { containers: [{ name: p.name, ports: Object.entries(p.ports).map(([name, containerPort]) => ({ name, containerPort })) }] },
          },
        },
      } as K8sObject);
    }
    for (const svc of made.services)
      out.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc.name, namespace },
        spec: { selector: svc.selector, ports: [{ port: svc.port, targetPort: svc.port }] },
      } as K8sObject);
    for (const secret of made.secrets)
      out.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secret.name, namespace, labels: { 'ecom.dev/secret-template': 'true' } },
        stringData: Object.fromEntries(secret.keys.map((key) => [key, ''])),
      } as K8sObject);
    out.push(...(made.policies ?? []));
  }
  return out;
}

/** a service's loaded configuration, by piece (loadConfig's result) */
export type LoadedConfig = Readonly<Record<string, unknown>>;

/**
 * what a service's own settings must be for one node lost to lose no acknowledged write of the data tier in
 * `ms`: the settings the operators cannot enforce, because the client chooses them
 */
export function clientDurability(service: string, cfg: LoadedConfig, ms: readonly K8sObject[]): string[] {
  const out: string[] = [];
  const cassandra = cfg['cassandra'] as { replicationFactor: number; localDataCenter: string; consistency: string } | undefined;
  if (cassandra) {
    const dcs = ofKind(ms, 'K8ssandraCluster').flatMap(datacenters);
    const dc = dcs.find((d) => at(d, 'metadata', 'name') === cassandra.localDataCenter);
    if (!dc) out.push(`${service}: CASSANDRA_LOCAL_DC ${cassandra.localDataCenter} is no datacenter of the K8ssandraCluster`);
    const size = num(dc?.['size']) ?? 0;
    if (cassandra.replicationFactor < 3 || cassandra.replicationFactor > size)
      out.push(`${service}: CASSANDRA_REPLICATION_FACTOR ${cassandra.replicationFactor}, not 3 or more and at most the datacenter's ${size} nodes`);
    if (!/QUORUM$/.test(cassandra.consistency)) out.push(`${service}: CASSANDRA_CONSISTENCY ${cassandra.consistency} is no quorum`);
  }
  const search = cfg['elasticsearch'] as { indexReplicas: number } | undefined;
  if (search) {
    const nodes = ofKind(ms, 'Elasticsearch').flatMap(nodeSets).reduce((n, s) => n + (num(s['count']) ?? 0), 0);
    if (search.indexReplicas < 1 || search.indexReplicas > nodes - 1)
      out.push(`${service}: ELASTICSEARCH_INDEX_REPLICAS ${search.indexReplicas}: a node lost loses shards, or replicas have no node to go to`);
  }
  const redis = cfg['redis'] as { sentinels?: { master: string }; replicaWait: { replicas: number } } | undefined;
  if (redis) {
    const masters = ofKind(ms, 'RedisSentinel').map((s) => String(at(specOf(s), 'redisSentinelConfig', 'masterGroupName') ?? 'myMaster'));
    if (!redis.sentinels) out.push(`${service}: no REDIS_SENTINELS: a failover leaves it on the old primary`);
    else if (!masters.includes(redis.sentinels.master))
      out.push(`${service}: REDIS_SENTINEL_MASTER ${redis.sentinels.master} is not what the Sentinels call it (${masters.join(', ')})`);
    if (redis.replicaWait.replicas < 1) out.push(`${service}: REDIS_WAIT_FOR_REPLICAS 0: a failover may lose an acknowledged write`);
  }
  const mongo = cfg['mongodb'] as { uri: string } | undefined;
  if (mongo) {
    const params = new URLSearchParams(mongo.uri.split('?')[1] ?? '');
    const sets = ofKind(ms, 'PerconaServerMongoDB').flatMap((m) => replsets(m).map((r) => String(r['name'])));
    if (!sets.includes(params.get('replicaSet') ?? '')) out.push(`${service}: MONGODB_URI names no replica set of the cluster (replicaSet=)`);
    if (params.get('w') !== 'majority') out.push(`${service}: MONGODB_URI does not write to a majority (w=majority)`);
  }
  return out;
}
