// docker-compose.yml cannot be run here (no docker engine in CI), so this reads it and checks that
// it describes the same servers as the native stack (tools/stack/servers/*.sh) and the defaults the
// services read (libs/config): same ports, credentials, versions and settings. Only the services
// that `docker compose up` starts are the stack; those behind a profile (the platform in containers,
// `--profile apps`) are checked by tools/delivery-check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cassandraConfig, elasticsearchConfig, kafkaConfig, loadConfig, mongodbConfig, postgresConfig, redisConfig } from '@ecom/config';

const ROOT = join(__dirname, '../../..');

interface ComposeService {
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  profiles?: string[];
}
interface Compose {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

// merge: the file shares settings between services with yaml merge keys (<<: *anchor)
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
// the http services, declared once in deploy/services.json (tools/scripts/render-services.mjs writes their
// compose blocks and gateway routes from it)
const listedServices = (
  JSON.parse(readFileSync(join(ROOT, 'deploy/services.json'), 'utf8')) as { services: { name: string; routes: string[]; health: string }[] }
).services;
// what `docker compose up` starts: the services without a profile
const services = Object.fromEntries(Object.entries(compose.services ?? {}).filter(([, s]) => !s.profiles?.length));
const service = (name: string): ComposeService => services[name] ?? {};

/** the environment of a compose service as strings, whichever of the two syntaxes it uses */
function envOf(name: string, of: ComposeService = service(name)): Record<string, string> {
  const env = of.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv) => [kv.split('=')[0], kv.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** published ports as { hostIp, published, target }, from the short or the long syntax */
function portsOf(name: string) {
  return (service(name).ports ?? []).map((p) => {
    if (typeof p === 'object') {
      return {
        hostIp: p.host_ip ?? '',
        published: Number(p.published),
        target: Number(p.target),
      };
    }
    const parts = String(p)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts.pop());
    const published = parts.length ? Number(parts.pop()) : NaN;
    return { hostIp: parts.join(':'), published, target };
  });
}

/** a gateway rate-limit file of deploy/gateway: NAME=value lines and # comments */
function limitsFile(file: string): Record<string, string> {
  const lines = readFileSync(join(ROOT, 'deploy/gateway', file), 'utf8').split('\n');
  return Object.fromEntries(lines.map((l) => l.match(/^([A-Z][A-Z0-9_]*)=(.*)$/)).flatMap((m) => (m ? [[m[1], m[2]]] : [])));
}

/** the gateway's limits of a file (GATEWAY_*); the services' own are RATE_LIMIT_* */
const rateLimits = (file: string) => Object.fromEntries(Object.entries(limitsFile(file)).filter(([k]) => k.startsWith('GATEWAY_')));

const nativeModule = (server: string) => readFileSync(join(ROOT, 'tools/stack/servers', `${server}.sh`), 'utf8');

/** a default from a native module, e.g. POSTGRES_PORT="${POSTGRES_PORT:-5432}" gives "5432" */
function nativeDefault(server: string, variable: string): string {
  const m = nativeModule(server).match(new RegExp(`^${variable}="\\$\\{${variable}:-([^}]*)\\}"`, 'm'));
  if (!m) throw new Error(`tools/stack/servers/${server}.sh has no ${variable}="\${${variable}:-...}" default`);
  return m[1];
}

// what the services connect to when no variable is set (the argument only names a database/prefix)
const config = loadConfig(
  [postgresConfig('db'), redisConfig('x'), kafkaConfig('x'), mongodbConfig('db'), cassandraConfig('ks'), elasticsearchConfig('x')],
  {},
);
const portOfHostPort = (hostPort: string) => Number(hostPort.split(':').pop());

const SERVERS = [
  {
    service: 'gateway',
    image: /^nginx:1\.\d+(\.\d+)?(-alpine)?$/,
    native: ['gateway', 'GATEWAY_PORT'],
    // the port the README and the ingress routes promise
    configPort: 8080,
    probe: /wget.*\/healthz/,
    stateless: true,
  },
  {
    service: 'mongo',
    image: /^mongo:7\.0(\.\d+)?$/,
    native: ['mongodb', 'MONGODB_PORT'],
    configPort: Number(new URL(config.mongodb.uri).port),
    probe: /mongosh/,
  },
  {
    service: 'postgres',
    image: /^postgres:1[56](\.\d+)?$/,
    native: ['postgres', 'POSTGRES_PORT'],
    configPort: config.postgres.port,
    probe: /pg_isready/,
  },
  {
    service: 'redis',
    image: /^redis:7(\.\d+){0,2}$/,
    native: ['redis', 'REDIS_PORT'],
    configPort: Number(new URL(config.redis.url).port),
    probe: /redis-cli.*ping/,
  },
  {
    service: 'kafka',
    image: /^apache\/kafka:3\.9\.\d+$/,
    native: ['kafka', 'KAFKA_PORT'],
    configPort: portOfHostPort(config.kafka.brokers[0]),
    probe: /\/opt\/kafka\/bin\/(kafka-broker-api-versions|kafka-topics)\.sh.*localhost:9092/,
  },
  {
    service: 'cassandra',
    image: /^cassandra:5\.0(\.\d+)?$/,
    native: ['cassandra', 'CASSANDRA_PORT'],
    configPort: portOfHostPort(config.cassandra.contactPoints[0]),
    probe: /cqlsh.*describe keyspaces/,
  },
  {
    service: 'elasticsearch',
    image: /^docker\.elastic\.co\/elasticsearch\/elasticsearch:8\.19\.\d+$/,
    native: ['elasticsearch', 'ELASTICSEARCH_PORT'],
    configPort: Number(new URL(config.elasticsearch.node).port),
    probe: /curl.*_cluster\/health/,
  },
] as const;

/** the servers of the native stack, from STACK_SERVERS=(...) in tools/stack/lib.sh */
function nativeServers(): string[] {
  const m = readFileSync(join(ROOT, 'tools/stack/lib.sh'), 'utf8').match(/^STACK_SERVERS=\(([^)]*)\)/m);
  if (!m) throw new Error('tools/stack/lib.sh has no STACK_SERVERS=(...) line');
  return m[1].trim().split(/\s+/);
}

describe('docker-compose.yml', () => {
  it('defines exactly the servers of the stack', () => {
    expect(Object.keys(services).sort()).toEqual(SERVERS.map((s) => s.service).sort());
  });

  it('has a counterpart for every server of the native stack (tools/stack/lib.sh)', () => {
    expect(SERVERS.map((s) => s.native[0]).sort()).toEqual(nativeServers().sort());
  });

  describe.each(SERVERS)('$service', (s) => {
    it('uses the official image with a pinned version', () => {
      expect(service(s.service).image).toMatch(s.image);
    });

    it('has a healthcheck that probes the server itself', () => {
      const hc = service(s.service).healthcheck;
      expect(hc?.disable).not.toBe(true);
      const test = [hc?.test ?? []].flat().join(' ');
      expect(test).toMatch(s.probe);
    });

    it('publishes on 127.0.0.1 the port of the native stack and of the config defaults', () => {
      const nativePort = Number(nativeDefault(s.native[0], s.native[1]));
      expect(s.configPort).toBe(nativePort);
      expect(portsOf(s.service)).toContainEqual({
        hostIp: '127.0.0.1',
        published: nativePort,
        target: nativePort,
      });
      // nothing published on all interfaces
      expect(portsOf(s.service).filter((p) => p.hostIp !== '127.0.0.1')).toEqual([]);
    });

    it('keeps its data in a named volume, if it has any', () => {
      if ('stateless' in s) return expect(service(s.service).volumes?.every((v) => String(v).endsWith(':ro'))).toBe(true);
      const named = (service(s.service).volumes ?? [])
        .map((v) => (typeof v === 'string' ? v.split(':')[0] : v.type === 'volume' ? v.source : undefined))
        .filter((v): v is string => !!v && Object.keys(compose.volumes ?? {}).includes(v));
      expect(named).toHaveLength(1);
    });
  });

  describe('postgres', () => {
    const env = envOf('postgres');

    it('has the user and password the services default to, as the native stack does', () => {
      expect(env['POSTGRES_USER']).toBe(config.postgres.username);
      expect(env['POSTGRES_PASSWORD']).toBe(config.postgres.password);
      expect(nativeDefault('postgres', 'POSTGRES_USER')).toBe(config.postgres.username);
      expect(nativeDefault('postgres', 'POSTGRES_PASSWORD')).toBe(config.postgres.password);
    });

    it('creates the same database as the native stack', () => {
      expect(env['POSTGRES_DB']).toBeTruthy();
      expect(env['POSTGRES_DB']).toBe(nativeDefault('postgres', 'POSTGRES_DB'));
    });
  });

  describe('kafka', () => {
    const env = envOf('kafka');

    it('never creates topics on first use, in compose and in the native stack', () => {
      expect(env['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
      expect(nativeModule('kafka')).toMatch(/^auto\.create\.topics\.enable=false$/m);
    });

    it('runs in KRaft mode and advertises the published port to host clients', () => {
      expect(env['KAFKA_PROCESS_ROLES']?.split(',').sort()).toEqual(['broker', 'controller']);
      expect(env['KAFKA_ADVERTISED_LISTENERS']).toMatch(new RegExp(`://localhost:${nativeDefault('kafka', 'KAFKA_PORT')}\\b`));
    });
  });

  describe('gateway', () => {
    const template = readFileSync(join(ROOT, 'deploy/gateway/gateway.conf.template'), 'utf8');
    const env = envOf('gateway');

    it('renders the one template of the native stack, with a value for each of its variables', () => {
      expect(service('gateway').volumes).toContain('./deploy/gateway/gateway.conf.template:/etc/nginx/templates/gateway.conf.template:ro');
      const names = [...new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]))];
      expect(Object.keys(env).sort()).toEqual(names.sort());
      expect(nativeModule('gateway')).toContain('deploy/gateway/gateway.conf.template');
    });

    it('renders the rate limits of the native stack: deploy/gateway/rate-limits.local.env, value for value', () => {
      const local = rateLimits('rate-limits.local.env');
      expect(Object.keys(local).length).toBeGreaterThan(0);
      for (const [name, value] of Object.entries(local)) expect([name, env[name]]).toEqual([name, value]);
      expect(nativeModule('gateway')).toContain('deploy/gateway/rate-limits.local.env');
    });

    it("gives the apps the services' own local limits: the RATE_LIMIT_* of rate-limits.local.env, value for value", () => {
      const local = Object.entries(limitsFile('rate-limits.local.env')).filter(([k]) => k.startsWith('RATE_LIMIT_'));
      expect(local.map(([k]) => k).sort()).toEqual(['RATE_LIMIT_REGISTER', 'RATE_LIMIT_SEARCH', 'RATE_LIMIT_WRITE']);
      for (const { name: app } of listedServices) {
        const appEnv = envOf(app, compose.services?.[app] ?? {});
        for (const [name, value] of local) expect([app, name, appEnv[name]]).toEqual([app, name, value]);
      }
    });

    it.each(['rate-limits.env', 'rate-limits.local.env'])(
      '%s: a rate, a burst and a Retry-After for each limit, the Retry-After 1 / rate rounded up',
      (file) => {
        const limits = rateLimits(file);
        const names = Object.keys(limits).map((k) => k.replace(/^GATEWAY_|_(RATE|BURST|RETRY_AFTER)$/g, ''));
        expect([...new Set(names)].sort()).toEqual(['LOGIN', 'REGISTER', 'SEARCH', 'WRITE']);
        // every variable the template's limits use is in the file, and nothing else
        const used = [...new Set([...template.matchAll(/\$\{(GATEWAY_[A-Z_]+_(RATE|BURST|RETRY_AFTER))\}/g)].map((m) => m[1]))];
        expect(Object.keys(limits).sort()).toEqual(used.sort());
        for (const limit of new Set(names)) {
          const rate = limits[`GATEWAY_${limit}_RATE`].match(/^(\d+)r\/(s|m)$/);
          expect([limit, rate]).not.toEqual([limit, null]);
          if (!rate) continue;
          expect([limit, limits[`GATEWAY_${limit}_BURST`]]).toEqual([limit, expect.stringMatching(/^\d+$/)]);
          const seconds = Math.ceil((rate[2] === 'm' ? 60 : 1) / Number(rate[1]));
          expect([limit, limits[`GATEWAY_${limit}_RETRY_AFTER`]]).toEqual([limit, String(seconds)]);
        }
      },
    );

    it('routes each api prefix of deploy/services.json to its service, and each service health to its readiness', () => {
      expect(listedServices.length).toBeGreaterThan(0);
      for (const { name, routes, health } of listedServices) {
        const upstream = name.replace(/-/g, '_');
        for (const prefix of routes) expect(template).toContain(`location ${prefix} { proxy_pass http://${upstream}; }`);
        expect(template).toContain(`location = ${health} { proxy_pass http://${upstream}/health/ready; }`);
      }
    });
  });

  describe('elasticsearch', () => {
    const env = envOf('elasticsearch');

    it('is a single node with security disabled, like the native stack', () => {
      expect(env['discovery.type']).toBe('single-node');
      expect(env['xpack.security.enabled']).toBe('false');
      expect(nativeModule('elasticsearch')).toMatch(/^xpack\.security\.enabled: false$/m);
    });

    it('runs with a 512m heap', () => {
      expect(env['ES_JAVA_OPTS']).toMatch(/-Xms512m/);
      expect(env['ES_JAVA_OPTS']).toMatch(/-Xmx512m/);
    });
  });

  // the native modules pin exact versions; compose must run the same major.minor
  describe.each([
    ['kafka', 'KAFKA_VERSION'],
    ['cassandra', 'CASSANDRA_VERSION'],
    ['elasticsearch', 'ELASTICSEARCH_VERSION'],
  ])('%s version', (server, variable) => {
    it('matches the native stack in major.minor', () => {
      const minor = (v: string) => v.split('.').slice(0, 2).join('.');
      const tag = service(server).image?.split(':').pop() ?? '';
      expect(minor(tag)).toBe(minor(nativeDefault(server, variable)));
    });
  });
});
