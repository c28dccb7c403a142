import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { formatFiles, generateFiles, names, readJson, writeJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import type { ServiceGeneratorSchema } from './schema';

const LIST = 'deploy/services.json';
/** the e2e suite's authorization matrix: a row per documented operation of every service */
const MATRIX = 'apps/platform-e2e/src/support/authorization-matrix.ts';
/** the templates, from the workspace root: the generator runs as ESM or CommonJS depending on the Node that runs nx */
const FILES = 'tools/generators/src/service/files';
/** the management port is HTTP_PORT + this (MANAGEMENT_PORT_OFFSET in libs/config) */
const MANAGEMENT_PORT_OFFSET = 6000;

interface Listed {
  name: string;
  description: string;
  port: number;
  routes: string[];
  health: string;
  stores: string[];
  mongoDatabase?: string;
}

/** gift-cards -> gift_cards: a MongoDB database or Cassandra keyspace name */
const databaseName = (short: string) => short.replace(/-/g, '_');

interface Store {
  /** its readiness check's name */
  check: string;
  lib: string;
  /** its config piece, given the service's short name */
  config: (short: string) => string;
  module: string;
}

/** what each store adds to a new service; the names are the stores of deploy/services.json */
export const STORES: Record<string, Store> = {
  // one database for the platform, as the manifests and compose configure it (POSTGRES_DB)
  postgres: {
    check: 'postgres',
    lib: '@ecom/store-postgres',
    config: () => `postgresConfig('ecom')`,
    module: 'PostgresModule.forRoot({ entities: [], migrations: [] })',
  },
  // its database, named as deploy/services.json requires (lower case and _)
  mongo: {
    check: 'mongodb',
    lib: '@ecom/store-mongo',
    config: (s) => `mongodbConfig('${databaseName(s)}')`,
    module: 'MongoModule.forRoot()',
  },
  redis: { check: 'redis', lib: '@ecom/store-redis', config: (s) => `redisConfig('${s}')`, module: 'RedisModule' },
  cassandra: {
    check: 'cassandra',
    lib: '@ecom/store-cassandra',
    config: (s) => `cassandraConfig('${databaseName(s)}')`,
    module: 'CassandraModule.forRoot([])',
  },
  elasticsearch: {
    check: 'elasticsearch',
    lib: '@ecom/store-elasticsearch',
    config: (s) => `elasticsearchConfig('${s}')`,
    module: 'ElasticsearchModule.forRoot([])',
  },
};

const fail = (message: string): never => {
  throw new Error(`nx g @ecom/tools:service: ${message}`);
};

/** the options checked against each other and against the services already listed */
export function normalize(options: ServiceGeneratorSchema, listed: readonly Listed[]) {
  const short = options.name.replace(/-service$/, '');
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(short)) fail(`"${options.name}" is not a name: lower-case words joined by -, e.g. payments`);
  const name = `${short}-service`;
  if (listed.some((s) => s.name === name)) fail(`${name} is in ${LIST} already`);
  const route = `/api/${short}`;
  const owner = listed.find((s) => s.routes.includes(route));
  if (owner) fail(`${route} belongs to ${owner.name}: choose another name`);

  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 1024 || port + MANAGEMENT_PORT_OFFSET > 65535) {
    fail(
      `--port must be a whole number from 1024 to ${65535 - MANAGEMENT_PORT_OFFSET} (its management port is port + ${MANAGEMENT_PORT_OFFSET}); got ${options.port}`,
    );
  }
  const taken = listed.find((s) =>
    [s.port, s.port + MANAGEMENT_PORT_OFFSET].some((p) => p === port || p === port + MANAGEMENT_PORT_OFFSET),
  );
  if (taken) fail(`--port ${port} clashes with ${taken.name} (port ${taken.port}, management port ${taken.port + MANAGEMENT_PORT_OFFSET})`);

  const stores = [
    ...new Set(
      (options.stores ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = stores.filter((s) => !(s in STORES));
  if (unknown.length) fail(`unknown store ${unknown.join(', ')}: --stores takes any of ${Object.keys(STORES).join(', ')}, comma-separated`);

  const { className, propertyName } = names(short);
  const description = options.description?.trim() || `the ${short} service`;
  return { name, short, port, stores, route, className, propertyName, description };
}

/** the new service's rows in the e2e authorization matrix: its health routes, which every service documents */
function addMatrixRows(tree: Tree, name: string): void {
  const source = tree.exists(MATRIX) ? tree.read(MATRIX, 'utf8') : null;
  const start = source?.indexOf('export const AUTHORIZATION_MATRIX') ?? -1;
  const end = source && start >= 0 ? source.indexOf('\n};', start) : -1;
  if (!source || end < 0) {
    console.warn(`${MATRIX}: no AUTHORIZATION_MATRIX found; add ${name}'s rows to the e2e suite's matrix by hand`);
    return;
  }
  const rows = `\n  '${name}': {\n    // a row per route it documents: who may call it, and what each caller gets\n    ...health,\n  },`;
  tree.write(MATRIX, source.slice(0, end) + rows + source.slice(end));
}

export default async function serviceGenerator(tree: Tree, options: ServiceGeneratorSchema): Promise<GeneratorCallback> {
  const list = readJson<{ services: Listed[] }>(tree, LIST);
  const s = normalize(options, list.services);
  const stores = s.stores.map((st) => STORES[st]);
  const byLib = new Map<string, string[]>();
  for (const st of stores) byLib.set(st.lib, [...(byLib.get(st.lib) ?? []), st.module.split(/[.(]/)[0]]);
  const configPieces = stores.map((st) => st.config(s.short));

  generateFiles(tree, join(tree.root, FILES), `apps/${s.name}`, {
    ...s,
    tmpl: '',
    title: `${names(s.short).className.replace(/([a-z])([A-Z])/g, '$1 $2')} service`,
    configImports: ['httpConfig', 'jwtVerifyConfig', 'kafkaConfig', 'serviceConfig', ...configPieces.map((p) => p.split('(')[0])]
      .sort()
      .join(', '),
    configPieces,
    storeImports: [...byLib].map(([lib, symbols]) => `import { ${symbols.join(', ')} } from '${lib}';`),
    storeModules: stores.map((st) => st.module),
    gates: stores.map((st) => st.check),
    // what its /health/ready reports: its stores, kafka and the revocations feed
    checks: [...stores.map((st) => st.check), 'kafka', 'revocations'].sort(),
  });

  writeJson(tree, LIST, {
    ...list,
    services: [
      ...list.services,
      {
        name: s.name,
        description: s.description,
        port: s.port,
        routes: [s.route],
        health: `${s.route}/health`,
        stores: s.stores,
        ...(s.stores.includes('mongo') && { mongoDatabase: databaseName(s.short) }),
      },
    ],
  });
  addMatrixRows(tree, s.name);
  await formatFiles(tree);

  return () => {
    if (options.skipRender) return;
    // the gateway, compose and the Kubernetes manifests follow the list (tools/scripts/render-services.mjs)
    execFileSync(process.execPath, ['tools/scripts/render-services.mjs'], { cwd: tree.root, stdio: 'inherit' });
    console.log(
      `\n${s.name} is ready: npx nx run ${s.name}:serve, or npm start; its routes go under ${s.route}. ` +
        'Add it to the services table of the README.',
    );
  };
}
