// deploy/Dockerfile, the one image definition of every service, read without a docker engine: what an
// image will be (base, user, entry point, health check, signals), the file itself and as it is built for
// each service with the --build-arg values compose and the workflow pass (SERVICE, PORT, MANAGEMENT_PORT),
// plus hadolint
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpConfig, loadConfig } from '@ecom/config';
import { ROOT, tool } from '../support/tools';
import {
  DOCKERFILE,
  SERVICES,
  buildArgsOf,
  contextSources,
  distDir,
  execForm,
  instructions,
  instructionsBuiltWith,
  type Instruction,
  type Service,
} from './images';

// an exact node release on a debian slim image, of an LTS line the project supports
const BASE_IMAGE = /^node:(22|24)\.\d+\.\d+-(bookworm|trixie)-slim$/;
const BUILD_ARGS = ['SERVICE', 'PORT', 'MANAGEMENT_PORT'];

const text = readFileSync(join(ROOT, DOCKERFILE), 'utf8');
const parsed = instructions(text);
const builtFor = (service: Service) => instructionsBuiltWith(text, buildArgsOf(service));
const finalStage = (all: Instruction[]) => all.filter((i) => i.stage === Math.max(...all.map((x) => x.stage)));
const only = (all: Instruction[], keyword: string) => all.filter((i) => i.keyword === keyword);
const last = (all: Instruction[], keyword: string) => only(all, keyword).at(-1);
/** FROM <image> [AS <name>] */
const fromImage = (i: Instruction) => i.args.split(/\s+/).filter((w) => !w.startsWith('--'))[0];
const stageName = (i: Instruction) => i.args.match(/\s+AS\s+(\S+)$/i)?.[1];

describe(DOCKERFILE, () => {
  it('is the only Dockerfile: no service has one of its own', () => {
    expect(existsSync(join(ROOT, DOCKERFILE))).toBe(true);
    for (const { name } of SERVICES) expect([name, existsSync(join(ROOT, 'apps', name, 'Dockerfile'))]).toEqual([name, false]);
  });

  it('documents the exact build commands at the top, with every build argument and the repository root as the context', () => {
    const header = text.split('\n').slice(0, 12).join('\n');
    const build = header.match(/^#\s+docker build -f deploy\/Dockerfile (.*) -t (\S+) \.\s*$/m);
    expect(build).not.toBeNull();
    const given = Object.fromEntries([...(build?.[1] ?? '').matchAll(/--build-arg (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(given).sort()).toEqual([...BUILD_ARGS].sort());
    // the example is a real service, with its real ports
    const service = SERVICES.find((s) => s.name === given['SERVICE']);
    expect(service).toBeDefined();
    if (service) expect(given).toEqual(buildArgsOf(service));
    expect(header).toContain(`npx nx run ${given['SERVICE']}:build`);
    expect(build?.[2]).toMatch(new RegExp(`^ecom/${given['SERVICE']}:`));
  });

  it('takes the service and its ports as build arguments without defaults, and fails the build without them', () => {
    for (const stage of new Set(parsed.map((i) => i.stage))) {
      const declared = only(parsed, 'ARG').filter((a) => a.stage === stage);
      for (const a of declared) expect([a.args, BUILD_ARGS.includes(a.args)]).toEqual([a.args, true]);
    }
    for (const name of BUILD_ARGS) expect(text).toContain(`\${${name}:?}`);
    expect(() => instructionsBuiltWith(text, {})).toThrow(/is empty in this stage/);
    const [first] = SERVICES;
    for (const name of BUILD_ARGS) {
      const missing = { ...buildArgsOf(first) };
      delete missing[name];
      expect(() => instructionsBuiltWith(text, missing)).toThrow(new RegExp(`\\$\\{${name}:\\?\\}`));
    }
  });

  it('is multi-stage: production dependencies are installed in one stage, the runtime copies them', () => {
    const froms = only(parsed, 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const deps = froms.slice(0, -1).map(stageName);
    const copiesFromStage = only(finalStage(parsed), 'COPY')
      .map((c) => c.args.match(/--from=(\S+)/)?.[1])
      .filter(Boolean);
    expect(copiesFromStage.length).toBeGreaterThan(0);
    for (const stage of copiesFromStage) expect(deps).toContain(stage);
  });

  it('builds every stage on the same pinned node LTS image: an exact version, never latest', () => {
    const images = only(parsed, 'FROM').map(fromImage);
    for (const image of images) {
      expect(image).toMatch(BASE_IMAGE);
      expect(image).not.toMatch(/latest/);
    }
    // node_modules built in one stage run in the other: same node, same libc
    expect(new Set(images).size).toBe(1);
  });

  it('runs as a non-root numeric user in the final stage', () => {
    const user = last(finalStage(parsed), 'USER');
    expect(user).toBeDefined();
    const [uid, gid] = (user?.args ?? '').split(':');
    // numeric, so kubernetes' runAsNonRoot can verify it without reading /etc/passwd
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    if (gid !== undefined) expect(Number(gid)).toBeGreaterThan(0);
  });

  it('leaves the app read-only to its own user and writes nothing at run time (read-only root filesystem)', () => {
    const final = finalStage(parsed);
    // the code and node_modules stay owned by root
    for (const copy of only(final, 'COPY')) expect(copy.args).not.toMatch(/--chown|--chmod/);
    // nothing is generated in the runtime stage, and no volume is expected to be writable
    expect(only(final, 'RUN')).toEqual([]);
    expect(only(final, 'VOLUME')).toEqual([]);
  });

  it('has a HEALTHCHECK that asks the service itself for liveness, on the port the image sets, with node (no curl in a slim image)', () => {
    const healthchecks = only(finalStage(parsed), 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const { args } = healthchecks[0];
    expect(args).not.toMatch(/^NONE\b/i);
    const command = execForm(args.replace(/^(--\S+\s+)*CMD\s+/, ''));
    expect(command?.slice(0, 2)).toEqual(['node', '-e']);
    expect(command?.[2]).toContain('/health/live');
    // no build argument reaches an exec form: the port comes from the image's HTTP_PORT (or the run's)
    expect(command?.[2]).toContain("'http://127.0.0.1:'+process.env.HTTP_PORT+'/health/live'");
    expect(args).toMatch(/--interval=\S+/);
    expect(args).toMatch(/--start-period=\S+/);
  });

  it('starts node directly as PID 1 with an exec-form CMD, so SIGTERM reaches the graceful shutdown', () => {
    const final = finalStage(parsed);
    // with the node flags npm start and the tests' instances use too (deploy/node-flags.json)
    const { flags } = JSON.parse(readFileSync(join(ROOT, 'deploy/node-flags.json'), 'utf8')) as { flags: string[] };
    expect(execForm(last(final, 'CMD')?.args ?? '')).toEqual(['node', ...flags, 'main.js']);
    // no shell script in between: the base image's docker-entrypoint.sh is cleared
    expect(execForm(last(final, 'ENTRYPOINT')?.args ?? '')).toEqual([]);
    // the signal the app drains on (libs/bootstrap), docker's default; nothing may change it
    expect(only(final, 'STOPSIGNAL').every((s) => s.args === 'SIGTERM')).toBe(true);
    expect(readFileSync(join(ROOT, 'libs/bootstrap/src/lib/bootstrap-service.ts'), 'utf8')).toMatch(/SIGTERM/);
  });

  it("sets the environment deploy/node-flags.json gives node, as npm start and the tests' instances do", () => {
    const { env = {} } = JSON.parse(readFileSync(join(ROOT, 'deploy/node-flags.json'), 'utf8')) as { env?: Record<string, string> };
    const set = only(finalStage(parsed), 'ENV')
      .map((e) => e.args)
      .join(' ');
    expect(Object.keys(env).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(env)) expect(set).toMatch(new RegExp(`(^|\\s)${name}=${value}(\\s|$)`));
  });

  it('passes hadolint', () => {
    const r = tool('hadolint', ['--no-color', '--failure-threshold', 'style', DOCKERFILE]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('gives every service its own ports', () => {
    const ports = SERVICES.flatMap((s) => [s.port, s.managementPort]);
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe.each(SERVICES)(`${DOCKERFILE} built for $name`, (service) => {
  const { name, port, managementPort } = service;
  const all = builtFor(service);

  it('installs only the production dependencies, from the lockfile nx wrote for this app', () => {
    const depsStage = all.filter((i) => i.stage < Math.max(...all.map((x) => x.stage)));
    const install = only(depsStage, 'RUN').map((r) => r.args);
    expect(install.some((r) => /\bnpm ci\b/.test(r) && /--omit=dev\b/.test(r))).toBe(true);
    expect(install.join(' ')).not.toMatch(/\bnpm (install|i)\b/);
    const copied = only(depsStage, 'COPY').flatMap((c) => contextSources(c.args));
    expect(copied).toEqual(expect.arrayContaining([`dist/apps/${name}/package.json`, `dist/apps/${name}/package-lock.json`]));
  });

  it("copies only this app's build output from the context, and all of it exists after the build", () => {
    const sources = only(all, 'COPY').flatMap((c) => contextSources(c.args));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source.startsWith(`dist/apps/${name}/`)).toBe(true);
      expect(existsSync(join(ROOT, source))).toBe(true);
    }
    expect(sources).toContain(`dist/apps/${name}/main.js`);
    expect(existsSync(join(distDir(name), 'main.js'))).toBe(true);
  });

  it('sets NODE_ENV=production and HTTP_PORT to its port, and exposes the service port and its management port', () => {
    const final = finalStage(all);
    const env = only(final, 'ENV')
      .map((e) => e.args)
      .join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(new RegExp(`(^|\\s)HTTP_PORT=${port}(\\s|$)`));
    expect(only(final, 'EXPOSE').map((e) => e.args)).toEqual([`${port} ${managementPort}`]);
    // the management port EXPOSE names is where the app puts it, HTTP_PORT + the offset of libs/config
    expect(loadConfig([httpConfig(1)], { HTTP_PORT: String(port) }).http.management.port).toBe(managementPort);
  });

  it('listens on every interface of its container: HTTP_HOST and MANAGEMENT_HOST set, since the services default to loopback', () => {
    const env = only(finalStage(all), 'ENV')
      .map((e) => e.args)
      .join(' ');
    expect(env).toMatch(/(^|\s)HTTP_HOST=0\.0\.0\.0(\s|$)/);
    expect(env).toMatch(/(^|\s)MANAGEMENT_HOST=0\.0\.0\.0(\s|$)/);
    // and the default it overrides is loopback, so a local run is not on the network
    expect(loadConfig([httpConfig(port)], {}).http).toMatchObject({ host: '127.0.0.1', management: { host: '127.0.0.1' } });
  });
});

describe('.dockerignore', () => {
  const lines = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  // a .dockerignore pattern as a regexp: * within one path segment, ** across segments
  const toRegExp = (pattern: string) => {
    const segment = (p: string) =>
      p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]');
    return new RegExp(`^${pattern.split('**').map(segment).join('.*')}$`);
  };
  /** docker's rule: the last pattern that matches a path decides */
  const included = (path: string) => {
    let keep = true;
    for (const line of lines) {
      const negated = line.startsWith('!');
      const pattern = negated ? line.slice(1) : line;
      const segments = path.split('/');
      // a pattern matching a parent directory matches what is inside it
      const matches = segments.some((_, i) => toRegExp(pattern).test(segments.slice(0, i + 1).join('/')));
      if (matches) keep = negated;
    }
    return keep;
  };

  it('leaves everything out of the build context by default', () => {
    expect(lines[0]).toBe('*');
    for (const path of [
      'node_modules/nx/package.json',
      '.git/HEAD',
      '.nx/cache/x',
      '.stack/logs/a.log',
      'coverage/x',
      '.env',
      'apps/user-service/src/main.ts',
      'dist/out-tsc/x.js',
    ]) {
      expect([path, included(path)]).toEqual([path, false]);
    }
  });

  it.each(SERVICES)('lets in what deploy/Dockerfile copies from the context for $name', (service) => {
    const { name } = service;
    const sources = only(builtFor(service), 'COPY').flatMap((c) => contextSources(c.args));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect([source, included(source)]).toEqual([source, true]);
    expect(included(join(distDir(name), 'main.js').slice(ROOT.length + 1))).toBe(true);
  });
});
