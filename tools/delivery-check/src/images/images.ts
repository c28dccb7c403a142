// what the image specs share: the services, the one Dockerfile read into instructions (as built for a
// service, with its build arguments), their build output in dist/, and docker-compose.yml as compose
// reads it (yaml merge keys resolved)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { httpConfig, loadConfig } from '@ecom/config';
import { LISTED_SERVICES } from '../support/service-list';
import { ROOT } from '../support/tools';

export interface Service {
  /** the nx project, e.g. order-service */
  readonly name: string;
  /** the port it listens on: deploy/services.json's, which its own config defaults to too (src/services checks) */
  readonly port: number;
  /** its management port (metrics, docs) by default: what httpConfig(<port>) derives from the port */
  readonly managementPort: number;
  /** apps/<name>/src/app/<short>.config.ts, the pieces of config the service reads */
  readonly configSource: string;
}

/** the services of deploy/services.json, with the config each reads */
export const SERVICES: readonly Service[] = LISTED_SERVICES.map(({ name, port }) => {
  const configFile = join(ROOT, 'apps', name, 'src/app', `${name.replace(/-service$/, '')}.config.ts`);
  const configSource = readFileSync(configFile, 'utf8');
  const managementPort = loadConfig([httpConfig(port)], {}).http.management.port;
  return { name, port, managementPort, configSource };
});

/** the one Dockerfile every service image is built from */
export const DOCKERFILE = 'deploy/Dockerfile';

/** the --build-arg values an image of the service is built with (compose and the workflow pass the same) */
export const buildArgsOf = ({ name, port, managementPort }: Pick<Service, 'name' | 'port' | 'managementPort'>): Record<string, string> => ({
  SERVICE: name,
  PORT: String(port),
  MANAGEMENT_PORT: String(managementPort),
});

export interface Instruction {
  /** upper-case, e.g. FROM, COPY */
  readonly keyword: string;
  /** the rest of the instruction, continuation lines joined */
  readonly args: string;
  /** index of the build stage it belongs to (0 for the first FROM) */
  readonly stage: number;
}

/** a Dockerfile as its instructions: comments dropped, continuation lines joined */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let stage = -1;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // comments and blank lines, also between continuation lines (docker drops those too)
    if (line === '' || line.startsWith('#')) continue;
    pending += `${pending ? ' ' : ''}${line.replace(/\\$/, '').trim()}`;
    if (line.endsWith('\\')) continue;
    const [keyword, ...rest] = pending.split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') stage++;
    out.push({ keyword: upper, args: rest.join(' '), stage });
    pending = '';
  }
  if (pending) throw new Error(`unterminated continuation: ${pending}`);
  return out;
}

// the instructions whose arguments docker expands $NAME in (RUN and the exec forms are the shell's or nobody's)
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ONBUILD']);

/**
 * the Dockerfile's instructions as docker builds them with these --build-arg values: $NAME, ${NAME} and
 * ${NAME:?} replaced where docker replaces them, by an ARG declared in that stage (a value given for an
 * ARG the stage does not declare is not seen there). throws where ${NAME:?} has no value: the build fails
 */
export function instructionsBuiltWith(text: string, buildArgs: Readonly<Record<string, string>>): Instruction[] {
  // ARGs before the first FROM serve the FROM lines, and are defaults for a stage that declares them again
  const globals: Record<string, string> = {};
  let scope = globals;
  return instructions(text).map((i) => {
    if (i.keyword === 'FROM') scope = globals;
    const args = EXPANDED.has(i.keyword)
      ? i.args.replace(/\$\{([A-Za-z_]\w*)(:\?[^}]*)?\}|\$([A-Za-z_]\w*)/g, (_m, braced?: string, required?: string, bare?: string) => {
          const name = braced ?? bare ?? '';
          const value = scope[name] ?? '';
          if (required !== undefined && value === '') throw new Error(`${i.keyword} ${i.args}: \${${name}:?} is empty in this stage, so docker build fails`);
          return value;
        })
      : i.args;
    if (i.keyword === 'FROM') scope = {};
    if (i.keyword === 'ARG') {
      const [name, fallback] = i.args.split('=', 2);
      scope[name] = buildArgs[name] ?? fallback ?? globals[name] ?? '';
    }
    return { ...i, args };
  });
}

/** the JSON array of an exec-form instruction, or undefined for the shell form */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** the paths one COPY instruction takes from the build context (none for COPY --from=<stage>) */
export function contextSources(args: string): string[] {
  const words = args.split(/\s+/);
  if (words.some((w) => w.startsWith('--from='))) return [];
  const paths = words.filter((w) => !w.startsWith('--'));
  return paths.slice(0, -1);
}

/** dist/apps/<service>: what `nx run <service>:build` writes */
export const distDir = (service: string) => join(ROOT, 'dist/apps', service);

export interface PackageJson {
  name?: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
export interface PackageLock {
  lockfileVersion?: number;
  packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean; dependencies?: Record<string, string> }>;
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

export interface ComposeService {
  profiles?: string[];
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string | number> };
  pull_policy?: string;
  network_mode?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  depends_on?: string[] | Record<string, { condition?: string; required?: boolean }>;
  healthcheck?: { test?: string | string[]; disable?: boolean; start_period?: string };
  read_only?: boolean;
  tmpfs?: string | string[];
  stop_grace_period?: string;
  secrets?: (string | { source: string; target?: string })[];
}
export interface Compose {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file?: string; environment?: string }>;
}

/** docker-compose.yml as compose sees it: the file shares settings through yaml merge keys */
export function readCompose(): Compose {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Partial<Compose>;
  return { services: compose.services ?? {}, secrets: compose.secrets ?? {} };
}

/**
 * the environment a service's process sees, with each /run/secrets/<name> path it names replaced by
 * the host file compose mounts there, so its config can be loaded here as it would be in the container
 */
export function containerEnvOf(compose: Compose, service: ComposeService): Record<string, string> {
  const mounted = new Map(
    (service.secrets ?? []).map((s) => (typeof s === 'string' ? { source: s } : s)).map((s) => [`/run/secrets/${s.target ?? s.source}`, s.source]),
  );
  return Object.fromEntries(
    Object.entries(envOf(service)).map(([k, v]) => {
      const secret = mounted.get(v);
      const file = secret === undefined ? undefined : compose.secrets[secret]?.file;
      return [k, file === undefined ? v : join(ROOT, file)];
    }),
  );
}

/** the environment of a compose service as strings, whichever of the two syntaxes it uses */
export function envOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((kv) => [kv.split('=')[0], kv.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** depends_on as { service: condition }, whichever syntax it uses (the short one means service_started) */
export function dependsOn(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.condition ?? 'service_started']));
}

/** seconds in a compose duration such as 15s, 1m30s or 500ms */
export function seconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== duration) throw new Error(`not a compose duration: ${duration}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}
