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

interface PodPlacement {
  affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey?: string }[] } };
  topologySpreadConstraints?: { topologyKey?: string; whenUnsatisfiable?: string }[];
}

/** whether a pod template keeps two of its pods off one host: required anti-affinity, or a hard spread */
export function spreadsOverHosts(pod: PodPlacement | undefined): boolean {
  const host = 'kubernetes.io/hostname';
  const anti = pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const spread = pod?.topologySpreadConstraints ?? [];
  return anti.some((t) => t.topologyKey === host) || spread.some((t) => t.topologyKey === host && t.whenUnsatisfiable === 'DoNotSchedule');
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
}

const kafkaConfig = (all: readonly K8sObject[], cluster: string) =>
  (at(specOf(all.find((m) => m.kind === 'Kafka' && m.metadata.name === cluster) ?? ({} as K8sObject)), 'kafka', 'config') ?? {}) as Spec;

const replsets = (m: K8sObject) => (specOf(m)['replsets'] ?? []) as Spec[];
const datacenters = (m: K8sObject) => (at(specOf(m), 'cassandra', 'datacenters') ?? []) as Spec[];
const nodeSets = (m: K8sObject) => (specOf(m)['nodeSets'] ?? []) as Spec[];

// the Redis operator's two kinds say size, placement and budget alike
const OT_REDIS = {
  store: 'redis',
  replicas: (m: K8sObject) => num(specOf(m)['clusterSize']),
  spread: (m: K8sObject) => spreadsOverHosts(specOf(m) as PodPlacement),
  ownBudget: (m: K8sObject) => at(specOf(m), 'pdb', 'enabled') === true,
  pods: (m: K8sObject) => ({ app: m.metadata.name }),
};

/** the stores' kinds, by operator */
export const STORE_KINDS: readonly StoreKind[] = [
  {
    store: 'kafka',
    kind: 'KafkaNodePool',
    replicas: (m) => num(specOf(m)['replicas']),
    spread: (m) => spreadsOverHosts(at(specOf(m), 'template', 'pod') as PodPlacement),
    // Strimzi writes a PodDisruptionBudget for every cluster (spec.kafka.template.podDisruptionBudget)
    ownBudget: () => true,
    pods: (m) => ({ 'strimzi.io/cluster': m.metadata.labels?.['strimzi.io/cluster'] ?? '', 'strimzi.io/pool-name': m.metadata.name }),
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
    spread: (m) => nodeSets(m).every((s) => spreadsOverHosts(at(s, 'podTemplate', 'spec') as PodPlacement)),
    // ECK writes the cluster's budget unless podDisruptionBudget is given without a spec
    ownBudget: (m) => {
      const pdb = specOf(m)['podDisruptionBudget'] as Spec | undefined;
      return pdb === undefined || pdb['spec'] !== undefined;
    },
    pods: (m) => ({ 'elasticsearch.k8s.elastic.co/cluster-name': m.metadata.name }),
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
