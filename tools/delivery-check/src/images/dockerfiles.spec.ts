// the five service Dockerfiles, read without a docker engine: what the image will be (base, user,
// entry point, health check, signals) and that they stay one design, plus hadolint on each
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { httpConfig, loadConfig } from '@ecom/config';
import { ROOT, tool } from '../support/tools';
import { SERVICES, contextSources, distDir, dockerfilePath, execForm, instructions, type Instruction } from './images';

// an exact node release on a debian slim image, of an LTS line the project supports
const BASE_IMAGE = /^node:(22|24)\.\d+\.\d+-(bookworm|trixie)-slim$/;

const read = (service: string) => readFileSync(dockerfilePath(service), 'utf8');
const parsed = (service: string) => instructions(read(service));
const finalStage = (all: Instruction[]) => all.filter((i) => i.stage === Math.max(...all.map((x) => x.stage)));
const only = (all: Instruction[], keyword: string) => all.filter((i) => i.keyword === keyword);
const last = (all: Instruction[], keyword: string) => only(all, keyword).at(-1);
/** FROM <image> [AS <name>] */
const fromImage = (i: Instruction) => i.args.split(/\s+/).filter((w) => !w.startsWith('--'))[0];
const stageName = (i: Instruction) => i.args.match(/\s+AS\s+(\S+)$/i)?.[1];

describe.each(SERVICES)('apps/$name/Dockerfile', ({ name, port, managementPort }) => {
  it('exists', () => {
    expect(existsSync(dockerfilePath(name))).toBe(true);
  });

  it('documents the exact build commands at the top, with the repository root as the context', () => {
    const header = read(name).split('\n').slice(0, 10).join('\n');
    expect(header).toContain(`npx nx run ${name}:build`);
    expect(header).toContain(`docker build -f apps/${name}/Dockerfile -t ecom/${name}:`);
    expect(header).toMatch(new RegExp(`docker build -f apps/${name}/Dockerfile -t \\S+ \\.\\s*$`, 'm'));
  });

  it('is multi-stage: production dependencies are installed in one stage, the runtime copies them', () => {
    const all = parsed(name);
    const froms = only(all, 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const deps = froms.slice(0, -1).map(stageName);
    const copiesFromStage = only(finalStage(all), 'COPY')
      .map((c) => c.args.match(/--from=(\S+)/)?.[1])
      .filter(Boolean);
    expect(copiesFromStage.length).toBeGreaterThan(0);
    for (const stage of copiesFromStage) expect(deps).toContain(stage);
  });

  it('builds every stage on the same pinned node LTS image: an exact version, never latest', () => {
    const images = only(parsed(name), 'FROM').map(fromImage);
    for (const image of images) {
      expect(image).toMatch(BASE_IMAGE);
      expect(image).not.toMatch(/latest/);
    }
    // node_modules built in one stage run in the other: same node, same libc
    expect(new Set(images).size).toBe(1);
  });

  it('installs only the production dependencies, from the lockfile nx wrote for this app', () => {
    const all = parsed(name);
    const depsStage = all.filter((i) => i.stage < Math.max(...all.map((x) => x.stage)));
    const install = only(depsStage, 'RUN').map((r) => r.args);
    expect(install.some((r) => /\bnpm ci\b/.test(r) && /--omit=dev\b/.test(r))).toBe(true);
    expect(install.join(' ')).not.toMatch(/\bnpm (install|i)\b/);
    const copied = only(depsStage, 'COPY').flatMap((c) => contextSources(c.args));
    expect(copied).toEqual(expect.arrayContaining([`dist/apps/${name}/package.json`, `dist/apps/${name}/package-lock.json`]));
  });

  it("copies only this app's build output from the context, and all of it exists after the build", () => {
    const sources = only(parsed(name), 'COPY').flatMap((c) => contextSources(c.args));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source.startsWith(`dist/apps/${name}/`)).toBe(true);
      expect(existsSync(join(ROOT, source))).toBe(true);
    }
    expect(sources).toContain(`dist/apps/${name}/main.js`);
  });

  it('runs as a non-root numeric user in the final stage', () => {
    const user = last(finalStage(parsed(name)), 'USER');
    expect(user).toBeDefined();
    const [uid, gid] = (user?.args ?? '').split(':');
    // numeric, so kubernetes' runAsNonRoot can verify it without reading /etc/passwd
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    if (gid !== undefined) expect(Number(gid)).toBeGreaterThan(0);
  });

  it('leaves the app read-only to its own user and writes nothing at run time (read-only root filesystem)', () => {
    const final = finalStage(parsed(name));
    // the code and node_modules stay owned by root
    for (const copy of only(final, 'COPY')) expect(copy.args).not.toMatch(/--chown|--chmod/);
    // nothing is generated in the runtime stage, and no volume is expected to be writable
    expect(only(final, 'RUN')).toEqual([]);
    expect(only(final, 'VOLUME')).toEqual([]);
  });

  it('sets NODE_ENV=production and exposes the service port and its management port', () => {
    const final = finalStage(parsed(name));
    expect(
      only(final, 'ENV')
        .map((e) => e.args)
        .join(' '),
    ).toMatch(/\bNODE_ENV=production\b/);
    expect(only(final, 'EXPOSE').map((e) => e.args)).toEqual([`${port} ${managementPort}`]);
  });

  it('listens on every interface of its container: HTTP_HOST and MANAGEMENT_HOST set, since the services default to loopback', () => {
    const env = only(finalStage(parsed(name)), 'ENV')
      .map((e) => e.args)
      .join(' ');
    expect(env).toMatch(/(^|\s)HTTP_HOST=0\.0\.0\.0(\s|$)/);
    expect(env).toMatch(/(^|\s)MANAGEMENT_HOST=0\.0\.0\.0(\s|$)/);
    // and the default it overrides is loopback, so a local run is not on the network
    expect(loadConfig([httpConfig(port)], {}).http).toMatchObject({ host: '127.0.0.1', management: { host: '127.0.0.1' } });
  });

  it('has a HEALTHCHECK that asks the service itself for liveness, with node (no curl in a slim image)', () => {
    const healthchecks = only(finalStage(parsed(name)), 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const { args } = healthchecks[0];
    expect(args).not.toMatch(/^NONE\b/i);
    const command = execForm(args.replace(/^(--\S+\s+)*CMD\s+/, ''));
    expect(command?.slice(0, 2)).toEqual(['node', '-e']);
    expect(command?.[2]).toContain('/health/live');
    expect(command?.[2]).toContain(`process.env.HTTP_PORT||${port}`);
    expect(args).toMatch(/--interval=\S+/);
    expect(args).toMatch(/--start-period=\S+/);
  });

  it('starts node directly as PID 1 with an exec-form CMD, so SIGTERM reaches the graceful shutdown', () => {
    const final = finalStage(parsed(name));
    expect(execForm(last(final, 'CMD')?.args ?? '')).toEqual(['node', 'main.js']);
    // no shell script in between: the base image's docker-entrypoint.sh is cleared
    expect(execForm(last(final, 'ENTRYPOINT')?.args ?? '')).toEqual([]);
    // the signal the app drains on (libs/bootstrap), docker's default; nothing may change it
    expect(only(final, 'STOPSIGNAL').every((s) => s.args === 'SIGTERM')).toBe(true);
    expect(readFileSync(join(ROOT, 'libs/bootstrap/src/lib/bootstrap-service.ts'), 'utf8')).toMatch(/SIGTERM/);
  });

  it('passes hadolint', () => {
    const r = tool('hadolint', ['--no-color', '--failure-threshold', 'style', relative(ROOT, dockerfilePath(name))]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the five Dockerfiles', () => {
  // one design: a change to one is a change to all, so they may differ only in the name and the port
  const normalized = ({ name, port, managementPort }: (typeof SERVICES)[number]) =>
    read(name).replaceAll(name, '<service>').replaceAll(String(port), '<port>').replaceAll(String(managementPort), '<management-port>');

  it('are identical apart from the service name and ports', () => {
    const [first, ...rest] = SERVICES;
    expect(SERVICES.map((s) => s.name)).toHaveLength(5);
    for (const s of rest) expect(normalized(s)).toBe(normalized(first));
  });

  it('each have their own ports', () => {
    const ports = SERVICES.flatMap((s) => [s.port, s.managementPort]);
    expect(new Set(ports).size).toBe(ports.length);
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

  it.each(SERVICES)('lets in what the $name Dockerfile copies from the context', ({ name }) => {
    const sources = only(parsed(name), 'COPY').flatMap((c) => contextSources(c.args));
    for (const source of sources) expect([source, included(source)]).toEqual([source, true]);
    expect(included(join(distDir(name), 'main.js').slice(ROOT.length + 1))).toBe(true);
  });
});
