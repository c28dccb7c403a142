// the production data tier (deploy/k8s/data-tier) as the prod overlay applies it: every custom resource passes
// its operator's CRD schema in strict mode, the Kafka topics are those of libs/events, and the availability
// rules hold, each with a case broken on purpose to show the rule notices
import { spawnSync } from 'node:child_process';
import { allTopicSpecs } from '@ecom/events';
import { ROOT, tool } from '../support/tools';
import { KUBERNETES_VERSION, copy, ofKind, overlayDir, rendered, type K8sObject } from './manifests';
import {
  DATA_TIER_DIR,
  backupsDeclared,
  isCustomResource,
  replicated,
  spreadAcrossHosts,
  storeBudgets,
  storesDeclared,
  survivesOneNodeLoss,
  validateCustomResources,
} from './data-tier';

/** every store of the platform, each on its operator (deploy/README.md, "Production data tier") */
const STORES = ['kafka', 'postgres', 'mongodb', 'cassandra', 'elasticsearch', 'redis'];

const { manifests } = rendered(overlayDir('prod'));
const tier = rendered(DATA_TIER_DIR).manifests;
const yaml = (ms: readonly K8sObject[]) => ms.map((m) => JSON.stringify(m)).join('\n---\n');
type Mutable = K8sObject & { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
/** the manifests with one object changed */
const broken = (kind: string, name: string, change: (m: Mutable) => void): K8sObject[] =>
  copy(manifests).map((m) => {
    if (m.kind === kind && m.metadata.name === name) change(m as Mutable);
    return m;
  });
const without = (kind: string) => manifests.filter((m) => m.kind !== kind);

describe('the data tier', () => {
  it('renders custom resources of every store on an operator', () => {
    expect(manifests.filter(isCustomResource).map((m) => m.kind)).toEqual(
      expect.arrayContaining([
        'Kafka',
        'KafkaNodePool',
        'KafkaTopic',
        'Cluster',
        'ScheduledBackup',
        'ObjectStore',
        'PerconaServerMongoDB',
        'K8ssandraCluster',
        'MedusaBackupSchedule',
        'Elasticsearch',
        'RedisReplication',
        'RedisSentinel',
      ]),
    );
  });

  it("passes every operator's CRD schema in strict mode", () => {
    const custom = manifests.filter(isCustomResource);
    const r = validateCustomResources(yaml(custom));
    expect(`${r.stdout}${r.stderr}`).toMatch(new RegExp(`Valid: ${custom.length}, Invalid: 0, Errors: 0, Skipped: 0`));
    expect(r.code).toBe(0);
  });

  it(`and data-tier/ on its own too, with its Secret templates, against the kubernetes ${KUBERNETES_VERSION} schemas`, () => {
    const builtIn = tier.filter((m) => !isCustomResource(m));
    expect([...new Set(builtIn.map((m) => m.kind))].sort()).toEqual(['ConfigMap', 'CronJob', 'NetworkPolicy', 'Secret']);
    const r = tool('kubernetes-validate', ['-k', KUBERNETES_VERSION, '--strict', '--quiet', '-'], { input: yaml(builtIn) });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.code).toBe(0);
  });

  it('fails a misspelt field, a wrong type and a kind no CRD knows (negative)', () => {
    const misspelt = validateCustomResources(yaml(broken('Cluster', 'orders-db', (m) => (m.spec['instancez'] = 3))));
    expect(misspelt.code).not.toBe(0);
    expect(misspelt.stdout).toMatch(/instancez/);
    const wrongType = validateCustomResources(yaml(broken('KafkaNodePool', 'nodes', (m) => (m.spec['replicas'] = 'three'))));
    expect(wrongType.code).not.toBe(0);
    expect(wrongType.stdout).toMatch(/KafkaNodePool nodes is invalid/);
    const unknown = validateCustomResources('apiVersion: kafka.strimzi.io/v1\nkind: KafkaConnectorz\nmetadata:\n  name: x\n');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout).toMatch(/could not find schema/);
  });
});

describe('the Kafka topics', () => {
  it('are every topic of libs/events, dead-letter twins included, with its partitions and settings', () => {
    const declared = ofKind<K8sObject & { spec: { topicName: string; partitions: number; config?: object } }>(manifests, 'KafkaTopic').map(
      (t) => ({
        name: t.spec.topicName,
        partitions: t.spec.partitions,
        ...(t.spec.config && { config: t.spec.config }),
      }),
    );
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(declared.sort(byName)).toEqual(allTopicSpecs().sort(byName));
    expect(declared.filter((t) => t.name.endsWith('.dlt'))).toHaveLength(allTopicSpecs().length / 2);
  });

  it('are what npm run topics:render writes', () => {
    const r = spawnSync(
      process.execPath,
      ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', 'tools/scripts/render-kafka-topics.mjs', '--check'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('the availability rules', () => {
  const rules = [
    ['every store is declared', storesDeclared(STORES)],
    ['three members or more', replicated],
    ['no two members on one host', spreadAcrossHosts],
    ['a disruption budget for every store', storeBudgets],
    ['one node lost loses and stops nothing', survivesOneNodeLoss],
    ['backups declared', backupsDeclared],
  ] as const;
  it.each(rules)('%s', (_, rule) => {
    expect(rule(manifests)).toEqual([]);
  });
});

describe('each availability rule notices a broken store (negative)', () => {
  it('a store left out', () => {
    expect(storesDeclared(STORES)(without('Cluster'))).toEqual(['postgres: no Cluster declares it']);
  });

  it('fewer than three members', () => {
    expect(replicated(broken('KafkaNodePool', 'nodes', (m) => (m.spec['replicas'] = 1)))).toEqual([
      'KafkaNodePool/nodes: 1 replicas, not 3 or more',
    ]);
    expect(replicated(broken('Cluster', 'orders-db', (m) => delete m.spec['instances']))).toEqual([
      'Cluster/orders-db: no replicas, not 3 or more',
    ]);
  });

  it('members that may share a host', () => {
    expect(spreadAcrossHosts(broken('KafkaNodePool', 'nodes', (m) => delete m.spec['template']))).toEqual([
      expect.stringMatching(/^KafkaNodePool\/nodes: its pods may share a host/),
    ]);
    expect(spreadAcrossHosts(broken('Cluster', 'orders-db', (m) => (m.spec['affinity']['podAntiAffinityType'] = 'preferred')))).toEqual([
      expect.stringMatching(/^Cluster\/orders-db: its pods may share a host/),
    ]);
  });

  it('an anti-affinity whose selector picks none of the pods the operator makes (the Sentinels are <name>-sentinel)', () => {
    const wrongLabel = broken('RedisSentinel', 'ecom-redis-sentinel', (m) => {
      m.spec['affinity'].podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels = { app: 'ecom-redis-sentinel' };
    });
    expect(spreadAcrossHosts(wrongLabel)).toEqual([expect.stringMatching(/^RedisSentinel\/ecom-redis-sentinel: its pods may share a host/)]);
    const noSelector = broken('RedisReplication', 'ecom-redis', (m) => {
      delete m.spec['affinity'].podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector;
    });
    expect(spreadAcrossHosts(noSelector)).toEqual([expect.stringMatching(/^RedisReplication\/ecom-redis: its pods may share a host/)]);
  });

  it("the operator's disruption budget turned off, and none written beside it", () => {
    const off = broken('Cluster', 'orders-db', (m) => (m.spec['enablePDB'] = false));
    expect(storeBudgets(off)).toEqual([expect.stringMatching(/^Cluster\/orders-db: no PodDisruptionBudget/)]);
    const written = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'orders-db' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { 'cnpg.io/cluster': 'orders-db' } } },
    } as K8sObject;
    expect(storeBudgets([...off, written])).toEqual([]);
  });

  it('a replication factor, an in-sync minimum or a topic that one broker down defeats, and commits not replicated', () => {
    const kafka = (config: Record<string, unknown>) =>
      survivesOneNodeLoss(broken('Kafka', 'ecom', (m) => Object.assign(m.spec['kafka']['config'], config)));
    expect(kafka({ 'min.insync.replicas': 1 })).toEqual([
      expect.stringMatching(/min.insync.replicas 1: an acknowledged write may sit on one broker/),
    ]);
    expect(kafka({ 'min.insync.replicas': 3 })).toEqual([
      expect.stringMatching(/min.insync.replicas 3 of 3: one broker down stops every write/),
    ]);
    expect(kafka({ 'default.replication.factor': 2 })).toEqual(
      expect.arrayContaining([expect.stringMatching(/default.replication.factor 2, not 3 or more/)]),
    );
    expect(kafka({ 'unclean.leader.election.enable': true })).toEqual([expect.stringMatching(/unclean leader election/)]);
    expect(survivesOneNodeLoss(broken('KafkaTopic', 'order.placed', (m) => (m.spec['replicas'] = 1)))).toEqual([
      'KafkaTopic/order.placed: 1 replicas, not 3 or more',
    ]);
    expect(survivesOneNodeLoss(broken('Cluster', 'orders-db', (m) => delete m.spec['postgresql']['synchronous']))).toEqual([
      expect.stringMatching(/^Cluster\/orders-db: no synchronous standby/),
    ]);
  });

  it('mongodb, cassandra, elasticsearch and redis: a replica set of 2 or 4, hosts shared, no budget, no quorum', () => {
    expect(replicated(broken('PerconaServerMongoDB', 'ecom-mongodb', (m) => (m.spec['replsets'][0].size = 2)))).toEqual([
      'PerconaServerMongoDB/ecom-mongodb: 2 replicas, not 3 or more',
    ]);
    expect(survivesOneNodeLoss(broken('PerconaServerMongoDB', 'ecom-mongodb', (m) => (m.spec['replsets'][0].size = 4)))).toEqual([
      expect.stringMatching(/replica set rs0 has 4 members/),
    ]);
    expect(storeBudgets(broken('PerconaServerMongoDB', 'ecom-mongodb', (m) => delete m.spec['replsets'][0].podDisruptionBudget))).toEqual([
      expect.stringMatching(/^PerconaServerMongoDB\/ecom-mongodb: no PodDisruptionBudget/),
    ]);
    expect(
      spreadAcrossHosts(broken('K8ssandraCluster', 'ecom-cassandra', (m) => (m.spec['cassandra'].softPodAntiAffinity = true))),
    ).toEqual([expect.stringMatching(/^K8ssandraCluster\/ecom-cassandra: its pods may share a host/)]);
    expect(
      survivesOneNodeLoss(broken('Elasticsearch', 'ecom-search', (m) => (m.spec['nodeSets'][0].config['node.roles'] = ['data']))),
    ).toEqual(['Elasticsearch/ecom-search: 0 master-eligible nodes: one lost leaves no quorum']);
    expect(storeBudgets(broken('Elasticsearch', 'ecom-search', (m) => (m.spec['podDisruptionBudget'] = {})))).toEqual([
      expect.stringMatching(/^Elasticsearch\/ecom-search: no PodDisruptionBudget/),
    ]);
    expect(
      survivesOneNodeLoss(broken('RedisSentinel', 'ecom-redis-sentinel', (m) => (m.spec['redisSentinelConfig'].quorum = '3'))),
    ).toEqual([expect.stringMatching(/quorum 3 of 3 sentinels/)]);
    expect(survivesOneNodeLoss(without('RedisSentinel'))).toEqual([expect.stringMatching(/no RedisSentinel watches it/)]);
  });

  it('mongodb, cassandra, elasticsearch and redis: backups off, unscheduled, undeclared, or nothing kept on a volume', () => {
    expect(
      backupsDeclared(broken('PerconaServerMongoDB', 'ecom-mongodb', (m) => (m.spec['backup'].tasks[0].storageName = 'nowhere'))),
    ).toEqual(['PerconaServerMongoDB/ecom-mongodb: no enabled backup task writes to a declared storage']);
    expect(backupsDeclared(without('MedusaBackupSchedule'))).toEqual([
      'K8ssandraCluster/ecom-cassandra: no MedusaBackupSchedule for datacenter dc1',
    ]);
    expect(backupsDeclared(without('CronJob'))).toEqual(['Elasticsearch/ecom-search: no job declares a snapshot repository and policy']);
    expect(backupsDeclared(broken('ConfigMap', 'ecom-redis-config', (m) => ((m as unknown as { data: object }).data = {})))).toEqual([
      expect.stringMatching(/^RedisReplication\/ecom-redis: no append-only file/),
    ]);
  });

  it('no WAL archive, an archive into an undeclared store, no scheduled backup', () => {
    expect(backupsDeclared(broken('Cluster', 'orders-db', (m) => delete m.spec['plugins']))).toEqual([
      expect.stringMatching(/no WAL archiving/),
    ]);
    expect(backupsDeclared(without('ObjectStore'))).toEqual([expect.stringMatching(/ObjectStore orders-backups, which is not declared/)]);
    expect(backupsDeclared(without('ScheduledBackup'))).toEqual(['Cluster/orders-db: no ScheduledBackup']);
  });
});
