// the `apps` profile of docker-compose.yml: the services of deploy/services.json built from
// deploy/Dockerfile, and a gateway in front of them, on top of the stack that `docker compose up` starts (tools/stack-check
// checks that part). No engine runs here: this reads the file, and `docker compose config` (the cli
// ensure-tools.sh builds) validates it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cassandraConfig,
  elasticsearchConfig,
  httpConfig,
  jwtSignConfig,
  jwtVerifyConfig,
  kafkaConfig,
  loadConfig,
  mongodbConfig,
  postgresConfig,
  redisConfig,
  serviceConfig,
} from '@ecom/config';
import { inEmptyDirectory } from '../k8s/required-variables';
import { ROOT, tool } from '../support/tools';
import { portVariable } from '../support/service-list';
import {
  DOCKERFILE,
  SERVICES,
  buildArgsOf,
  containerEnvOf,
  dependsOn,
  envOf,
  instructionsBuiltWith,
  readCompose,
  seconds,
  type ComposeService,
} from './images';

const PROFILE = 'apps';
const POD = 'apps-pod';
const GATEWAY = 'apps-gateway';

const composeFile = readCompose();
const { services } = composeFile;
const service = (name: string): ComposeService => services[name] ?? {};
const inProfile = Object.keys(services).filter((n) => service(n).profiles?.includes(PROFILE));
const stack = Object.keys(services).filter((n) => !service(n).profiles?.length);

/** host:port of a url, with the scheme's port when it has none */
function endpointOfUrl(url: string): string {
  const u = new URL(url);
  const port = u.port || { 'http:': '80', 'https:': '443', 'redis:': '6379', 'rediss:': '6379', 'mongodb:': '27017' }[u.protocol];
  return `${u.hostname}:${port}`;
}

// every shared config piece that connects somewhere, and the host:port endpoints it connects to
const CONNECTIONS: Record<string, (env: Record<string, string>) => string[]> = {
  kafkaConfig: (env) => loadConfig([kafkaConfig('x')], env).kafka.brokers,
  mongodbConfig: (env) => [endpointOfUrl(loadConfig([mongodbConfig('x')], env).mongodb.uri)],
  postgresConfig: (env) => {
    const { host, port } = loadConfig([postgresConfig('x')], env).postgres;
    return [`${host}:${port}`];
  },
  redisConfig: (env) => [endpointOfUrl(loadConfig([redisConfig('x')], env).redis.url)],
  cassandraConfig: (env) => loadConfig([cassandraConfig('x')], env).cassandra.contactPoints,
  elasticsearchConfig: (env) => [endpointOfUrl(loadConfig([elasticsearchConfig('x')], env).elasticsearch.node)],
};
// the shared pieces that connect nowhere
const LOCAL_PIECES = ['serviceConfig', 'httpConfig', 'jwtVerifyConfig', 'jwtSignConfig', 'rateLimitsConfig'];

/** the shared pieces (from @ecom/config) a service's config lists */
function sharedPieces(configSource: string): string[] {
  const imported = configSource.match(/import\s*\{([^}]*)\}\s*from\s*'@ecom\/config'/)?.[1] ?? '';
  return imported
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.endsWith('Config') && new RegExp(`\\b${s}\\(`).test(configSource));
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[?::1\]?)$/i;

/** published ports as { hostIp, published, target }, from the short or the long syntax */
function portsOf(s: ComposeService) {
  return (s.ports ?? []).map((p) => {
    if (typeof p === 'object') return { hostIp: p.host_ip ?? '', published: Number(p.published), target: Number(p.target) };
    const parts = String(p)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts.pop());
    const published = parts.length ? Number(parts.pop()) : NaN;
    return { hostIp: parts.join(':'), published, target };
  });
}

/** the build arguments compose passes to the Dockerfile for a service */
const buildArgs = (s: ComposeService): Record<string, string> =>
  typeof s.build === 'object' && s.build.args
    ? Object.fromEntries(Object.entries(s.build.args).map(([k, v]) => [k, String(v)]))
    : {};
const exposedPort = (s: ComposeService) =>
  // the first port EXPOSE names, as the image is built with compose's arguments: the service's (the
  // second, the management port, is not for clients)
  Number(
    instructionsBuiltWith(readFileSync(join(ROOT, DOCKERFILE), 'utf8'), buildArgs(s))
      .find((i) => i.keyword === 'EXPOSE')
      ?.args.split(/\s+/)[0],
  );

describe(`docker-compose.yml, profile ${PROFILE}`, () => {
  it('holds the services of deploy/services.json, their gateway and the pod they share, and nothing from the default stack', () => {
    expect(inProfile.sort()).toEqual([...SERVICES.map((s) => s.name), GATEWAY, POD].sort());
    for (const name of inProfile) expect(service(name).profiles).toEqual([PROFILE]);
    // `docker compose up` (npm start, npm test) still starts exactly the stack
    expect(stack).not.toContain(GATEWAY);
    expect(stack).toContain('gateway');
  });

  describe.each(SERVICES)('$name', (listed) => {
    const { name, port, configSource } = listed;
    const s = service(name);
    const env = envOf(s);

    it('is built from deploy/Dockerfile with its name and ports and the repo root as context, under a local image name, never pulled', () => {
      expect(s.build).toEqual({ context: '.', dockerfile: DOCKERFILE, args: buildArgsOf(listed) });
      expect(existsSync(join(ROOT, DOCKERFILE))).toBe(true);
      expect(s.image).toMatch(new RegExp(`^ecom/${name}:[\\w.-]+$`));
      expect(s.pull_policy).toBe('build');
    });

    it('listens on the port its image exposes', () => {
      expect(env['HTTP_PORT']).toBe(String(port));
      expect(exposedPort(s)).toBe(port);
    });

    it('runs as kubernetes will: read-only root filesystem with a /tmp, time to drain before the kill', () => {
      expect(s.read_only).toBe(true);
      expect([s.tmpfs ?? []].flat()).toContain('/tmp');
      const drain = loadConfig([serviceConfig(name)], env).service.shutdownTimeoutMs / 1000;
      expect(seconds(s.stop_grace_period ?? '10s')).toBeGreaterThan(drain);
    });

    it('shares the network namespace of the pod, and publishes nothing itself', () => {
      expect(s.network_mode).toBe(`service:${POD}`);
      expect(s.ports ?? []).toEqual([]);
      expect(dependsOn(s)[POD]).toBeDefined();
    });

    it('is healthy when it is ready: its healthcheck asks /health/ready on its own port', () => {
      expect(s.healthcheck?.disable).not.toBe(true);
      const test = [s.healthcheck?.test ?? []].flat();
      expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      expect(test.join(' ')).toMatch(/127\.0\.0\.1.*process\.env\.HTTP_PORT.*\/health\/ready/);
    });

    it('knows every shared config piece it reads', () => {
      const unknown = sharedPieces(configSource).filter((p) => !(p in CONNECTIONS) && !LOCAL_PIECES.includes(p));
      expect(unknown).toEqual([]);
    });

    it('starts with a valid config from the compose environment and the secrets it mounts', () => {
      const inContainer = containerEnvOf(composeFile, s);
      const common = [serviceConfig(name), httpConfig(port), jwtVerifyConfig()] as const;
      const signs = sharedPieces(configSource).includes('jwtSignConfig');
      // from a directory without the local stack's keys, as in the container (/app)
      expect(() =>
        inEmptyDirectory(() => (signs ? loadConfig([...common, jwtSignConfig()], inContainer) : loadConfig(common, inContainer))),
      ).not.toThrow();
    });

    it('gets the private signing key only if it signs tokens', () => {
      const mounted = (s.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source));
      const privateKeys = mounted.filter((m) => composeFile.secrets[m]?.file?.includes('private'));
      expect(privateKeys.length > 0).toBe(sharedPieces(configSource).includes('jwtSignConfig'));
    });

    const connections = sharedPieces(configSource).filter((p) => p in CONNECTIONS);

    it('reads at least kafka', () => {
      expect(connections).toContain('kafkaConfig');
    });

    it.each(connections)('%s: overrides every default that points at localhost, with a server of the stack', (piece) => {
      for (const endpoint of CONNECTIONS[piece](env)) {
        const [host, port] = [endpoint.slice(0, endpoint.lastIndexOf(':')), Number(endpoint.slice(endpoint.lastIndexOf(':') + 1))];
        expect([endpoint, LOOPBACK.test(host)]).toEqual([endpoint, false]);
        // the compose service name is the host name on the compose network
        expect(stack).toContain(host);
        const server = service(host);
        if (host === 'kafka') {
          // what the broker tells this client to connect to must be this same address
          expect(envOf(server)['KAFKA_ADVERTISED_LISTENERS']?.split(',')).toEqual(
            expect.arrayContaining([expect.stringMatching(new RegExp(`://${host}:${port}$`))]),
          );
          expect(envOf(server)['KAFKA_LISTENERS']).toMatch(new RegExp(`://:${port}\\b`));
        } else {
          expect(portsOf(server).map((p) => p.target)).toContain(port);
        }
        // and it waits for that server to be healthy
        expect([host, dependsOn(s)[host]]).toEqual([host, 'service_healthy']);
        expect(server.healthcheck?.test).toBeDefined();
      }
    });
  });

  describe(GATEWAY, () => {
    const s = service(GATEWAY);
    const env = envOf(s);
    const template = readFileSync(join(ROOT, 'deploy/gateway/gateway.conf.template'), 'utf8');

    it('renders the one gateway template, with a value for each of its variables', () => {
      expect(s.volumes).toContain('./deploy/gateway/gateway.conf.template:/etc/nginx/templates/gateway.conf.template:ro');
      const names = [...new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]))];
      expect(Object.keys(env).sort()).toEqual(names.sort());
      expect(s.image).toBe(service('gateway').image);
    });

    it('reaches each service on loopback in the pod, at the port it listens on', () => {
      expect(s.network_mode).toBe(`service:${POD}`);
      expect(env['SERVICES_HOST']).toBe('127.0.0.1');
      for (const { name } of SERVICES) expect([name, env[portVariable(name)]]).toEqual([name, envOf(service(name))['HTTP_PORT']]);
      // one network namespace: no two listeners on one port
      const ports = [env['GATEWAY_PORT'], ...SERVICES.map(({ name }) => envOf(service(name))['HTTP_PORT'])];
      expect(new Set(ports).size).toBe(ports.length);
    });

    it('starts once every service is healthy, and has its own healthcheck', () => {
      const deps = dependsOn(s);
      for (const { name } of SERVICES) expect([name, deps[name]]).toEqual([name, 'service_healthy']);
      expect([s.healthcheck?.test ?? []].flat().join(' ')).toMatch(/wget.*\/healthz/);
    });
  });

  describe(POD, () => {
    const s = service(POD);

    it('is a pinned pause container', () => {
      expect(s.image).toMatch(/^registry\.k8s\.io\/pause:\d+\.\d+(\.\d+)?$/);
    });

    it('publishes the gateway on 127.0.0.1 only, on a port the default stack does not use', () => {
      const ports = portsOf(s);
      expect(ports.map((p) => p.target)).toEqual([Number(envOf(service(GATEWAY))['GATEWAY_PORT'])]);
      expect(ports.filter((p) => p.hostIp !== '127.0.0.1')).toEqual([]);
      const taken = stack.flatMap((n) => portsOf(service(n)).map((p) => p.published));
      for (const p of ports) expect(taken).not.toContain(p.published);
    });
  });
});

/** the compose cli ensure-tools.sh builds: it validates the file without an engine */
const compose = (args: string[]) => {
  const r = tool('docker-compose', args);
  return { code: r.code, out: r.stdout + r.stderr };
};

describe('docker compose config (no engine needed)', () => {
  const run = (args: string[]) => compose(['-f', join(ROOT, 'docker-compose.yml'), ...args]);

  it.each([[[]], [['--profile', PROFILE]]])('accepts the file with profiles %j', (profile) => {
    const r = run([...profile, 'config', '--quiet']);
    expect([r.code, r.out]).toEqual([0, '']);
  });

  it('starts the stack alone without a profile, and the whole platform with it', () => {
    const names = (r: { out: string }) => r.out.split('\n').filter(Boolean).sort();
    expect(names(run(['config', '--services']))).toEqual([...stack].sort());
    expect(names(run(['--profile', PROFILE, 'config', '--services']))).toEqual([...stack, ...inProfile].sort());
  });
});
