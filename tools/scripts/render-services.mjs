#!/usr/bin/env node
// writes everything deploy/services.json drives, so a service is declared once:
//   npm run services:render                   rewrite the generated files and regions from the list
//   npm run services:render -- --check        change nothing; exit 1 naming each stale file (tools/delivery-check runs it)
//   ... --root=<dir>                          render another copy of the repository instead of this one
//   ... --list                                print the files it reads and writes, one per line
// The output is committed: kubectl/kustomize and docker compose users need no Node. Rendering twice
// changes nothing the second time.
//
// A service in deploy/services.json:
//   name           its nx app and everything named after it: image ecom/<name>, the Kubernetes objects, the
//                  compose service, the gateway upstream (<name> with _), <NAME>_PORT; always <word>-service
//   description    a few words on what it does, for its manifests' header
//   port           HTTP_PORT, the port clients reach through the gateway and the ingress. Its management port
//                  (metrics, docs, readiness details) is port + 6000, as libs/config derives it
//   routes         the /api/<x> prefixes the gateway and the ingress send to it
//   health         <one of its routes>/health: its readiness (/health/ready) through the gateway and the ingress,
//                  what the deploy job smoke-tests
//   stores         what it connects to besides Kafka (every service uses Kafka): any of mongo, redis,
//                  elasticsearch, postgres, cassandra. Each adds its settings, credentials, network policy
//                  rules and compose dependency (STORES below)
//   mongoDatabase  with the store mongo: the database its own MongoDB user may use
//   personalData   its answers carry personal data: the gateway adds no-store to its own refusals on its routes
//   signsTokens    it holds the token-signing private key (JWT_PRIVATE_KEY; compose mounts jwt-private-key)
//   seedsAdmin     it creates the admin account at start-up (ADMIN_EMAIL, ADMIN_PASSWORD)
//
// What it writes:
//   deploy/k8s/base/services/<name>.yaml   whole files, from deploy/k8s/service.template.yaml; a file there
//                                          for a service no longer listed is removed
//   regions of hand-written files          the lines between "BEGIN generated from deploy/services.json (<region>)"
//                                          and "END generated (<region>)" comments (REGION_FILES below): the
//                                          gateway's upstreams and routes, the native gateway's ports, the compose
//                                          services, the ingress paths, the kustomize resources and dev images,
//                                          and who may reach each datastore
// Not written: the prod overlay's image tags (releases, set by `kustomize edit set image`; delivery-check
// refuses an untagged image), and the special routes (login, registration, search limits, the event
// stream), which stay hand-written around the regions.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { REPO_ROOT, SERVICE_LIST, portVar, readServiceList } from './lib/service-list.mjs';

const K8S_TEMPLATE = 'deploy/k8s/service.template.yaml';
const K8S_SERVICES = 'deploy/k8s/base/services';

/** USER_SERVICE for user-service */
const envName = (name) => name.toUpperCase().replace(/-/g, '_');
/** user_service for user-service: the gateway's upstream */
const upstream = (name) => name.replace(/-/g, '_');
/** users for /api/users */
const segment = (route) => route.slice('/api/'.length);
/** a, b and c */
const and = (words) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

const secretEnv = (variable, secret, key) => [
  `- name: ${variable}`,
  '  valueFrom:',
  '    secretKeyRef:',
  `      name: ${secret}`,
  `      key: ${key}`,
];
const egressTo = (app, port) => egressToPods({ 'app.kubernetes.io/name': app }, port);
const egressToPods = (labels, port) => [
  '- to:',
  '    - podSelector:',
  '        matchLabels:',
  ...Object.entries(labels).map(([k, v]) => `          ${k}: ${/^[\w.-]+$/.test(v) && !/^(true|false|\d+)$/.test(v) ? v : JSON.stringify(v)}`),
  '  ports:',
  `    - port: ${port}`,
  '      protocol: TCP',
];
/** a Secret's key mounted read-only as a file: the CAs the operators create */
const caVolume = (name, secret, key = 'ca.crt') => ({ name, secret, key, dir: `/etc/ecom/tls/${name}` });
const caFile = (v) => `${v.dir}/${v.key}`;
/** the CA each operator makes, by store: mounted once, and its file named in the store's settings */
const CA = {
  kafka: caVolume('kafka', 'ecom-cluster-ca-cert'),
  mongodb: caVolume('mongodb', 'ecom-mongodb-ssl'),
  postgres: caVolume('postgres', 'orders-db-ca'),
  elasticsearch: caVolume('elasticsearch', 'ecom-search-es-http-certs-public'),
};

/**
 * what each store adds to a service that lists it. k8s: the datastore's app name and port (egress and its
 * NetworkPolicy); config: ConfigMap lines; env: the container's env (credentials from the datastore's
 * Secret); urlCredentials: env composes a url from a password (the passwords must be url-safe);
 * compose: the compose service it waits for and the environment that points the service at it.
 */
const STORES = {
  mongo: {
    title: 'MongoDB',
    k8s: { app: 'mongodb', port: 27017 },
    config: () => ['MONGODB_ADDRESS: mongodb:27017'],
    env: (s) => [
      ...secretEnv('MONGODB_PASSWORD', 'mongodb-credentials', `MONGODB_${envName(s.name)}_PASSWORD`),
      '- name: MONGODB_URI',
      `  value: mongodb://${s.name}:$(MONGODB_PASSWORD)@$(MONGODB_ADDRESS)/${s.mongoDatabase}?authSource=admin`,
    ],
    urlCredentials: true,
    compose: { service: 'mongo', env: (s) => [`MONGODB_URI: mongodb://mongo:27017/${s.mongoDatabase}`] },
    // Percona's PerconaServerMongoDB ecom-mongodb, replica set rs0 (deploy/k8s/data-tier/mongodb.yaml): its
    // headless Service as the seed, majority writes, TLS with the CA of the certificates it made
    operator: {
      pods: { 'app.kubernetes.io/instance': 'ecom-mongodb', 'app.kubernetes.io/component': 'mongod' },
      port: 27017,
      volumes: [CA.mongodb],
      config: () => ['MONGODB_ADDRESS: ecom-mongodb-rs0:27017'],
      env: (s) => [
        ...secretEnv('MONGODB_PASSWORD', 'mongodb-credentials', `MONGODB_${envName(s.name)}_PASSWORD`),
        '- name: MONGODB_URI',
        `  value: mongodb://${s.name}:$(MONGODB_PASSWORD)@$(MONGODB_ADDRESS)/${s.mongoDatabase}?authSource=admin&replicaSet=rs0&w=majority&tls=true&tlsCAFile=${caFile(CA.mongodb)}`,
      ],
    },
  },
  redis: {
    title: 'Redis',
    k8s: { app: 'redis', port: 6379 },
    config: () => ['REDIS_ADDRESS: redis:6379'],
    env: () => [
      ...secretEnv('REDIS_PASSWORD', 'redis-credentials', 'REDIS_PASSWORD'),
      '- name: REDIS_URL',
      '  value: redis://:$(REDIS_PASSWORD)@$(REDIS_ADDRESS)',
    ],
    urlCredentials: true,
    compose: { service: 'redis', env: () => ['REDIS_URL: redis://redis:6379'] },
    // the redis-operator's RedisReplication ecom-redis behind RedisSentinel ecom-redis-sentinel
    // (deploy/k8s/data-tier/redis.yaml): the client asks the Sentinels for the primary, and each write that
    // is not a cache waits for one replica (REDIS_WAIT_FOR_REPLICAS), so a failover loses none of it
    operator: {
      pods: { app: 'ecom-redis' },
      port: 6379,
      also: [{ pods: { app: 'ecom-redis-sentinel-sentinel' }, port: 26379 }],
      config: () => [
        'REDIS_ADDRESS: ecom-redis:6379',
        'REDIS_SENTINELS: ecom-redis-sentinel-sentinel:26379',
        'REDIS_SENTINEL_MASTER: ecom',
        'REDIS_WAIT_FOR_REPLICAS: "1"',
      ],
      env: () => [
        ...secretEnv('REDIS_PASSWORD', 'redis-credentials', 'REDIS_PASSWORD'),
        '- name: REDIS_URL',
        '  value: redis://:$(REDIS_PASSWORD)@$(REDIS_ADDRESS)',
      ],
    },
  },
  elasticsearch: {
    title: 'Elasticsearch',
    k8s: { app: 'elasticsearch', port: 9200 },
    config: () => ['ELASTICSEARCH_ADDRESS: elasticsearch:9200'],
    env: () => [
      ...secretEnv('ELASTICSEARCH_PASSWORD', 'elasticsearch-credentials', 'ELASTIC_PASSWORD'),
      '- name: ELASTICSEARCH_NODE',
      '  value: http://elastic:$(ELASTICSEARCH_PASSWORD)@$(ELASTICSEARCH_ADDRESS)',
    ],
    urlCredentials: true,
    compose: { service: 'elasticsearch', env: () => ['ELASTICSEARCH_NODE: http://elasticsearch:9200'] },
    // ECK's Elasticsearch ecom-search (deploy/k8s/data-tier/elasticsearch.yaml): https with the CA it made,
    // the service's own user of the file realm (Secret search-users), one replica of every shard
    operator: {
      pods: { 'elasticsearch.k8s.elastic.co/cluster-name': 'ecom-search' },
      port: 9200,
      volumes: [CA.elasticsearch],
      config: () => [
        'ELASTICSEARCH_ADDRESS: ecom-search-es-http:9200',
        `ELASTICSEARCH_CA_FILE: ${caFile(CA.elasticsearch)}`,
        'ELASTICSEARCH_INDEX_REPLICAS: "1"',
      ],
      env: (s) => [
        ...secretEnv('ELASTICSEARCH_PASSWORD', `${s.name}-search-user`, 'password'),
        '- name: ELASTICSEARCH_NODE',
        `  value: https://${s.name}:$(ELASTICSEARCH_PASSWORD)@$(ELASTICSEARCH_ADDRESS)`,
      ],
    },
  },
  postgres: {
    title: 'PostgreSQL',
    k8s: { app: 'postgres', port: 5432 },
    config: () => ['POSTGRES_HOST: postgres', 'POSTGRES_PORT: "5432"', 'POSTGRES_USER: ecom', 'POSTGRES_DB: ecom'],
    env: () => secretEnv('POSTGRES_PASSWORD', 'postgres-credentials', 'POSTGRES_PASSWORD'),
    urlCredentials: false,
    compose: { service: 'postgres', env: () => ['POSTGRES_HOST: postgres'] },
    // CloudNativePG's Cluster orders-db (deploy/k8s/data-tier/postgres.yaml): its read-write Service, the
    // application user and password of the Secret it made, TLS with its CA
    operator: {
      pods: { 'cnpg.io/cluster': 'orders-db' },
      port: 5432,
      volumes: [CA.postgres],
      config: () => [
        'POSTGRES_HOST: orders-db-rw',
        'POSTGRES_PORT: "5432"',
        'POSTGRES_USER: null',
        'POSTGRES_DB: orders',
        `POSTGRES_SSL_CA_FILE: ${caFile(CA.postgres)}`,
      ],
      env: () => [...secretEnv('POSTGRES_USER', 'orders-db-app', 'username'), ...secretEnv('POSTGRES_PASSWORD', 'orders-db-app', 'password')],
    },
  },
  // no credentials yet: its NetworkPolicy is the guard (deploy/README.md, "Open")
  cassandra: {
    title: 'Cassandra',
    k8s: { app: 'cassandra', port: 9042 },
    config: () => ['CASSANDRA_CONTACT_POINTS: cassandra:9042', 'CASSANDRA_LOCAL_DC: datacenter1'],
    env: () => [],
    urlCredentials: false,
    compose: { service: 'cassandra', env: () => ['CASSANDRA_CONTACT_POINTS: cassandra:9042'] },
    // K8ssandra's K8ssandraCluster ecom-cassandra, datacenter dc1 of 3 nodes (deploy/k8s/data-tier/cassandra.yaml):
    // the keyspace with 3 replicas, every read and write at LOCAL_QUORUM
    operator: {
      pods: { 'cassandra.datastax.com/cluster': 'ecom-cassandra' },
      port: 9042,
      config: () => [
        'CASSANDRA_CONTACT_POINTS: ecom-cassandra-dc1-service:9042',
        'CASSANDRA_LOCAL_DC: dc1',
        'CASSANDRA_REPLICATION_FACTOR: "3"',
        'CASSANDRA_CONSISTENCY: LOCAL_QUORUM',
      ],
      env: () => [],
    },
  },
};

/**
 * Kafka, which every service uses: Strimzi's Kafka ecom (deploy/k8s/data-tier/kafka.yaml), its bootstrap
 * Service on the tls listener, with the cluster CA it made
 */
const KAFKA_OPERATOR = {
  pods: { 'strimzi.io/cluster': 'ecom', 'strimzi.io/kind': 'Kafka' },
  port: 9093,
  volumes: [CA.kafka],
  config: () => ['KAFKA_BROKERS: ecom-kafka-bootstrap:9093', `KAFKA_SSL_CA_FILE: ${caFile(CA.kafka)}`],
};

const storesOf = (s) => s.stores.map((name) => STORES[name]);
const clientsOf = (services, store) => services.filter((s) => s.stores.includes(store)).map((s) => `- ${s.name}`);

// ---- deploy/k8s/base/services/<name>.yaml ------------------------------------------------------------

/** the blocks a {{> name}} line of the template takes */
function k8sBlocks(s) {
  const env = storesOf(s).flatMap((st) => st.env(s));
  const envComment = storesOf(s).some((st) => st.urlCredentials && st.env(s).length)
    ? [
        "# credentials come from the datastore's own Secret; $(VAR) is expanded by the kubelet from the",
        '# variables above it (the passwords must be url-safe, see deploy/README.md)',
      ]
    : ["# credentials come from the datastore's own Secret"];
  return {
    storeConfig: storesOf(s).flatMap((st) => st.config(s)),
    secretKeys: [
      ...(s.signsTokens
        ? ['# Ed25519 private key, PEM, the pair of JWT_PUBLIC_KEY (only the services that sign tokens hold it)', 'JWT_PRIVATE_KEY: ""']
        : []),
      ...(s.seedsAdmin ? ['# the admin account created at start-up', 'ADMIN_EMAIL: ""', '# at least 10 characters', 'ADMIN_PASSWORD: ""'] : []),
    ],
    storeEnv: env.length ? [...envComment, 'env:', ...env.map((l) => `  ${l}`)] : [],
    storeEgress: storesOf(s).flatMap((st) => egressTo(st.k8s.app, st.k8s.port)),
  };
}

/** the template with {{field}} replaced, {{> block}} lines expanded and its own ## lines dropped */
function fillTemplate(template, values, blocks, what) {
  const out = [];
  for (const line of template.split('\n')) {
    if (line.startsWith('##')) continue;
    const block = /^(\s*)\{\{> (\w+)\}\}\s*$/.exec(line);
    if (block) {
      if (!(block[2] in blocks)) throw new Error(`${what}: the template names an unknown block {{> ${block[2]}}}`);
      for (const l of blocks[block[2]]) out.push(l === '' ? '' : `${block[1]}${l}`);
      continue;
    }
    out.push(
      line.replace(/\{\{(\w+)\}\}/g, (_, key) => {
        if (!(key in values)) throw new Error(`${what}: the template names an unknown field {{${key}}}`);
        return String(values[key]);
      }),
    );
  }
  return out.join('\n');
}

function k8sService(template, s) {
  const values = {
    name: s.name,
    description: s.description,
    port: s.port,
    managementPort: s.managementPort,
    talksTo: and([...storesOf(s).map((st) => st.title), 'Kafka']),
  };
  return fillTemplate(template, values, k8sBlocks(s), K8S_TEMPLATE);
}

// ---- deploy/k8s/components/operator-stores/services.yaml -------------------------------------------------

const OPERATOR_PATCHES = 'deploy/k8s/components/operator-stores/services.yaml';

/** the prod overlay's patches of one service: its stores' addresses, credentials, CAs and network rules as the operators make them */
function operatorPatch(s) {
  const ops = storesOf(s).map((st) => st.operator);
  const env = ops.flatMap((op) => op.env(s));
  const volumes = [KAFKA_OPERATOR, ...ops].flatMap((op) => op.volumes ?? []);
  const egress = [KAFKA_OPERATOR, ...ops].flatMap((op) => [op, ...(op.also ?? [])]).flatMap((op) => egressToPods(op.pods, op.port));
  return [
    `# ${s.name}`,
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${s.name}-config`,
    'data:',
    ...[...KAFKA_OPERATOR.config(), ...ops.flatMap((op) => op.config(s))].map((l) => `  ${l}`),
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${s.name}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${s.name}`,
    ...(env.length ? ['          env:', '            - $patch: replace', ...env.map((l) => `            ${l}`)] : []),
    ...(volumes.length
      ? [
          '          volumeMounts:',
          ...volumes.flatMap((v) => [`            - name: ${v.name}-ca`, `              mountPath: ${v.dir}`, '              readOnly: true']),
        ]
      : []),
    ...(volumes.length
      ? [
          '      volumes:',
          ...volumes.flatMap((v) => [
            `        - name: ${v.name}-ca`,
            '          secret:',
            `            secretName: ${v.secret}`,
            '            items:',
            `              - key: ${v.key}`,
            `                path: ${v.key}`,
          ]),
        ]
      : []),
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${s.name}`,
    'spec:',
    '  egress:',
    ...[
      ...egress,
      '- to:',
      '    - namespaceSelector:',
      '        matchLabels:',
      '          kubernetes.io/metadata.name: kube-system',
      '      podSelector:',
      '        matchLabels:',
      '          k8s-app: kube-dns',
      '  ports:',
      '    - port: 53',
      '      protocol: UDP',
      '    - port: 53',
      '      protocol: TCP',
    ].map((l) => `    ${l}`),
  ];
}

function operatorPatches(services) {
  return [
    `# generated from ${SERVICE_LIST} by npm run services:render — do not edit (STORES[*].operator in tools/scripts/render-services.mjs)`,
    '# what the prod overlay changes in each service: its stores are the operators\' (deploy/k8s/data-tier), so its',
    '# ConfigMap, environment, CA volumes and egress name their Services, Secrets and pods. strategic merge patches:',
    '# a ConfigMap key set to null is removed; the env list is replaced whole ($patch: replace), so the order',
    '# of its $(VAR) references holds; the egress list is replaced whole (it has no merge key)',
    ...services.flatMap((s, i) => [...(i ? ['---'] : []), ...operatorPatch(s)]),
    '',
  ].join('\n');
}

// ---- regions --------------------------------------------------------------------------------------------

function composeService(s) {
  const stores = storesOf(s);
  return [
    `${s.name}:`,
    '  profiles: [apps]',
    '  <<: *app',
    `  image: ecom/${s.name}:dev`,
    '  build:',
    '    context: .',
    '    dockerfile: deploy/Dockerfile',
    `    args: { SERVICE: ${s.name}, PORT: '${s.port}', MANAGEMENT_PORT: '${s.managementPort}' }`,
    ...(s.signsTokens ? ['  secrets: [jwt-public-key, jwt-private-key]'] : []),
    '  environment:',
    '    <<: *app-env',
    `    HTTP_PORT: '${s.port}'`,
    ...stores.flatMap((st) => st.compose.env(s)).map((l) => `    ${l}`),
    ...(s.signsTokens ? ['    JWT_PRIVATE_KEY_FILE: /run/secrets/jwt-private-key'] : []),
    ...(s.seedsAdmin
      ? [
          "    # this local platform's admin (the README's); the image has no default and production refuses it",
          '    ADMIN_EMAIL: ${ADMIN_EMAIL:-admin@example.com}',
          '    ADMIN_PASSWORD: ${ADMIN_PASSWORD:-admin-password-local}',
        ]
      : []),
    '  depends_on:',
    '    apps-pod: { condition: service_started }',
    '    kafka: { condition: service_healthy }',
    ...stores.map((st) => `    ${st.compose.service}: { condition: service_healthy }`),
  ];
}

const ingressPath = (path, pathType, s) => [
  `- path: ${path}`,
  `  pathType: ${pathType}`,
  '  backend:',
  '    service:',
  `      name: ${s.name}`,
  '      port:',
  `        number: ${s.port}`,
];

/** each region's lines, unindented: the renderer indents them as their BEGIN line is */
function regions(services) {
  const personal = services.filter((s) => s.personalData).flatMap((s) => s.routes.map(segment));
  const mongoUsers = services.filter((s) => s.stores.includes('mongo'));
  const mongoPassword = (s) => `MONGODB_${envName(s.name)}_PASSWORD`;
  const searchUsers = services.filter((s) => s.stores.includes('elasticsearch'));
  return {
    // deploy/gateway/gateway.conf.template. keepalive: the idle connections each nginx worker keeps to a
    // service. fewer than the requests a worker has in flight to it, and each one past them opens a
    // connection and closes it again: at 50 concurrent hot reads, 16 cost product-service 40 % more cpu
    // per request through the gateway than direct (docs/performance.md, change 34)
    'gateway-upstreams': services.map(
      (s) => `upstream ${upstream(s.name)} { server \${SERVICES_HOST}:\${${portVar(s.name)}}; keepalive 64; }`,
    ),
    'gateway-personal-routes': personal.length
      ? [`"~^\\|/api/(${personal.join('|')})(/|$)" "no-store";`]
      : ['# no service in the list says personalData'],
    'gateway-health-routes': services.map((s) => `location = ${s.health} { proxy_pass http://${upstream(s.name)}/health/ready; }`),
    'gateway-resource-routes': services.flatMap((s) => s.routes.map((r) => `location ${r} { proxy_pass http://${upstream(s.name)}; }`)),
    // tools/stack/servers/gateway.sh
    'stack-gateway-ports': [
      `GATEWAY_VARS+=(${services.map((s) => portVar(s.name)).join(' ')})`,
      ...services.map((s) => `: "\${${portVar(s.name)}:=${s.port}}"`),
    ],
    // docker-compose.yml
    'compose-gateway-ports': services.map((s) => `${portVar(s.name)}: '${s.port}'`),
    'compose-gateway-depends-on': services.map((s) => `${s.name}: { condition: service_healthy }`),
    'compose-services': services.flatMap((s, i) => [...(i ? [''] : []), ...composeService(s)]),
    // deploy/k8s/base/ingress.yaml
    'ingress-resource-routes': services.flatMap((s) => s.routes.flatMap((r) => ingressPath(r, 'Prefix', s))),
    'ingress-health-routes': services.flatMap((s) => ingressPath(s.health, 'Exact', s)),
    // deploy/k8s/base/kustomization.yaml, deploy/k8s/overlays/dev/kustomization.yaml
    'kustomize-services': services.map((s) => `- services/${s.name}.yaml`),
    'dev-images': services.flatMap((s) => [`- name: ecom/${s.name}`, '  newTag: dev']),
    // deploy/k8s/datastores/*.yaml: who may connect, and mongodb's per-service users
    'mongodb-user-passwords': mongoUsers.map((s) => `${mongoPassword(s)}: ""`),
    'mongodb-users': mongoUsers.map((s) => `['${s.name}', '${mongoPassword(s)}', '${s.mongoDatabase}'],`),
    'mongodb-user-password-env': mongoUsers.flatMap((s) => secretEnv(mongoPassword(s), 'mongodb-credentials', mongoPassword(s))),
    'mongodb-clients': clientsOf(services, 'mongo'),
    'redis-clients': clientsOf(services, 'redis'),
    'elasticsearch-clients': clientsOf(services, 'elasticsearch'),
    'postgres-clients': clientsOf(services, 'postgres'),
    'cassandra-clients': clientsOf(services, 'cassandra'),
    'kafka-clients': services.map((s) => `- ${s.name}`),
    // deploy/k8s/data-tier: the operators' users of each service
    'operator-mongodb-users': mongoUsers.flatMap((s) => [
      `- name: ${s.name}`,
      '  db: admin',
      '  passwordSecretRef:',
      '    name: mongodb-credentials',
      `    key: ${mongoPassword(s)}`,
      '  roles:',
      '    - name: readWrite',
      `      db: ${s.mongoDatabase}`,
    ]),
    'search-users': searchUsers.map((s) => `- secretName: ${s.name}-search-user`),
    'search-user-secrets': searchUsers.flatMap((s) => [
      '---',
      `# ${s.name}'s user of the search cluster's file realm (elasticsearch.yaml): roles ${s.name}, its role there`,
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${s.name}-search-user`,
      '  labels:',
      '    ecom.dev/secret-template: "true"',
      'type: kubernetes.io/basic-auth',
      'stringData:',
      '  username: ""',
      '  # url-safe: it goes into ELASTICSEARCH_NODE',
      '  password: ""',
      '  roles: ""',
    ]),
  };
}

/** the hand-written files with generated regions, and the regions each must have */
const REGION_FILES = {
  'deploy/gateway/gateway.conf.template': ['gateway-upstreams', 'gateway-personal-routes', 'gateway-health-routes', 'gateway-resource-routes'],
  'tools/stack/servers/gateway.sh': ['stack-gateway-ports'],
  'docker-compose.yml': ['compose-gateway-ports', 'compose-gateway-depends-on', 'compose-services'],
  'deploy/k8s/base/ingress.yaml': ['ingress-resource-routes', 'ingress-health-routes'],
  'deploy/k8s/base/kustomization.yaml': ['kustomize-services'],
  'deploy/k8s/overlays/dev/kustomization.yaml': ['dev-images'],
  'deploy/k8s/datastores/mongodb.yaml': ['mongodb-user-passwords', 'mongodb-users', 'mongodb-user-password-env', 'mongodb-clients'],
  'deploy/k8s/datastores/redis.yaml': ['redis-clients'],
  'deploy/k8s/datastores/elasticsearch.yaml': ['elasticsearch-clients'],
  'deploy/k8s/datastores/postgres.yaml': ['postgres-clients'],
  'deploy/k8s/datastores/cassandra.yaml': ['cassandra-clients'],
  'deploy/k8s/datastores/kafka.yaml': ['kafka-clients'],
  'deploy/k8s/data-tier/mongodb.yaml': ['operator-mongodb-users'],
  'deploy/k8s/data-tier/elasticsearch.yaml': ['search-users'],
  'deploy/k8s/data-tier/secrets.yaml': ['mongodb-user-passwords', 'search-user-secrets'],
  'deploy/k8s/data-tier/network-policy.yaml': ['postgres-clients', 'mongodb-clients', 'cassandra-clients', 'elasticsearch-clients', 'redis-clients'],
};

const BEGIN = /^(\s*)(#|\/\/) BEGIN generated from deploy\/services\.json \(([a-z0-9-]+)\)/;

/** the file with each region's lines replaced; its BEGIN and END lines written the one way */
function fillRegions(text, file, bodies) {
  const lines = text.split('\n');
  const out = [];
  const found = new Set();
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]);
    if (!begin) {
      if (/\bEND generated \(/.test(lines[i])) throw new Error(`${file}:${i + 1}: an END line without its BEGIN`);
      out.push(lines[i]);
      continue;
    }
    const [, indent, lead, name] = begin;
    const body = bodies[name];
    if (!body) throw new Error(`${file}:${i + 1}: no region is called ${name} (known: ${Object.keys(bodies).join(', ')})`);
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== `${lead} END generated (${name})`) {
      if (BEGIN.test(lines[end])) throw new Error(`${file}:${end + 1}: a region begins inside region ${name}`);
      end++;
    }
    if (end === lines.length) throw new Error(`${file}:${i + 1}: region ${name} has no line "${lead} END generated (${name})"`);
    out.push(`${indent}${lead} BEGIN generated from deploy/services.json (${name}) by npm run services:render — do not edit`);
    for (const l of body) out.push(l === '' ? '' : `${indent}${l}`);
    out.push(`${indent}${lead} END generated (${name})`);
    found.add(name);
    i = end;
  }
  const missing = (REGION_FILES[file] ?? []).filter((r) => !found.has(r));
  if (missing.length) throw new Error(`${file}: the region${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
  return out.join('\n');
}

// ---- the whole render -----------------------------------------------------------------------------------

/** every file the list drives, as it should be: { path: text }, and the generated files that should not exist */
function render(root) {
  const services = readServiceList(root);
  const files = {};
  const bodies = regions(services);
  for (const file of Object.keys(REGION_FILES)) files[file] = fillRegions(readFileSync(join(root, file), 'utf8'), file, bodies);
  const template = readFileSync(join(root, K8S_TEMPLATE), 'utf8');
  for (const s of services) files[`${K8S_SERVICES}/${s.name}.yaml`] = k8sService(template, s);
  files[OPERATOR_PATCHES] = operatorPatches(services);
  const listed = new Set(services.map((s) => `${s.name}.yaml`));
  const dir = join(root, K8S_SERVICES);
  const unlisted = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml') && !listed.has(f))
        .map((f) => `${K8S_SERVICES}/${f}`)
    : [];
  return { files, unlisted };
}

function main() {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      root: { type: 'string' },
    },
  });
  const root = resolve(values.root ?? REPO_ROOT);
  if (values.list) {
    console.log([SERVICE_LIST, K8S_TEMPLATE, ...Object.keys(REGION_FILES), OPERATOR_PATCHES, `${K8S_SERVICES}/`].join('\n'));
    return 0;
  }
  const { files, unlisted } = render(root);
  const current = (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined);
  const stale = Object.keys(files).filter((path) => current(path) !== files[path]);
  if (values.check) {
    if (stale.length === 0 && unlisted.length === 0) return 0;
    console.error(`these files do not match ${SERVICE_LIST}; run npm run services:render and commit the result:`);
    for (const path of stale) console.error(`  ${path}${current(path) === undefined ? ' (missing)' : ''}`);
    for (const path of unlisted) console.error(`  ${path} (its service is not in the list: remove it)`);
    return 1;
  }
  for (const path of stale) {
    writeFileSync(join(root, path), files[path]);
    console.log(`wrote ${path}`);
  }
  for (const path of unlisted) {
    rmSync(join(root, path));
    console.log(`removed ${path} (not in ${SERVICE_LIST})`);
  }
  if (stale.length === 0 && unlisted.length === 0) console.log(`everything ${SERVICE_LIST} drives is up to date`);
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`render-services: ${e.message}`);
  process.exitCode = 2;
}
