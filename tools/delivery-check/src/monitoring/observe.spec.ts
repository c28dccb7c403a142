// npm run observe (tools/observe): the Prometheus configuration it writes, from tools/observe/prometheus-config.mjs
// (run here as observe.mjs imports it), passes promtool check config with the alert rules it loads, and
// scrapes every service of deploy/services.json where the service serves /metrics: on 127.0.0.1, at the
// management port its own config derives from its port. The compose profile `observe` mounts the same
// configuration (committed, written by the same code) and the Grafana provisioning for the dashboards.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpConfig, loadConfig } from '@ecom/config';
import { parse } from 'yaml';
import { LISTED_SERVICES, portVariable } from '../support/service-list';
import { ROOT, tool } from '../support/tools';

const GENERATOR = join(ROOT, 'tools/observe/prometheus-config.mjs');
const RULES = 'deploy/monitoring/rules/ecom.rules.yml';
const COMPOSE_CONFIG = 'tools/observe/compose/prometheus.yml';
const DASHBOARDS = 'deploy/monitoring/dashboards';

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  honor_labels?: boolean;
  scrape_interval?: string;
  static_configs: { targets: string[]; labels?: Record<string, string> }[];
}
interface PrometheusConfig {
  global: { scrape_interval: string; scrape_timeout?: string; evaluation_interval: string };
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

/** the generator's output, as npm run observe writes it: the list's own ports (no <NAME>_PORT moves one) */
function generate(...args: string[]): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !LISTED_SERVICES.some((s) => portVariable(s.name) === k)));
  const r = spawnSync(process.execPath, [GENERATOR, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${GENERATOR} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** the management port a service listens on when started on its port (its own config, as npm start starts it) */
const managementPort = (port: number) => loadConfig([httpConfig(port)], { HTTP_PORT: String(port) }).http.management.port;

/** service name -> the one target its scrape job has */
const targetsOf = (config: PrometheusConfig) =>
  Object.fromEntries(
    config.scrape_configs.map((job) => [
      job.static_configs.flatMap((s) => (s.labels?.['service'] ? [s.labels['service']] : [])).join(',') || job.job_name,
      job.static_configs.flatMap((s) => s.targets).join(','),
    ]),
  );

describe('npm run observe: the Prometheus configuration (tools/observe/prometheus-config.mjs)', () => {
  const text = generate();
  const config = parse(text) as PrometheusConfig;

  it('passes promtool check config, alert rules included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'observe-'));
    try {
      const file = join(dir, 'prometheus.yml');
      writeFileSync(file, text);
      const r = tool('promtool', ['check', 'config', file]);
      expect([r.code, r.stdout + r.stderr]).toEqual([0, expect.stringMatching(/SUCCESS: 1 rule files found/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loads the repo's alert rules and scrapes every 5 s", () => {
    expect(config.rule_files).toEqual([join(ROOT, RULES)]);
    expect(config.global).toMatchObject({ scrape_interval: '5s', evaluation_interval: '5s' });
  });

  it('scrapes every service, and nothing else, at 127.0.0.1 and the management port its config derives from its port', () => {
    const expected = Object.fromEntries(LISTED_SERVICES.map((s) => [s.name, `127.0.0.1:${managementPort(s.port)}`]));
    expect(targetsOf(config)).toEqual(expected);
  });

  it('labels each target with its service (what the alert rules match: up{service=~".+-service"}) and keeps the services\' own labels', () => {
    for (const job of config.scrape_configs) {
      expect(job.job_name).toMatch(/-service$/);
      expect(job).toMatchObject({ metrics_path: '/metrics', honor_labels: true });
      for (const s of job.static_configs) expect(s.labels).toEqual({ service: job.job_name });
    }
  });

  it('follows a moved port, as npm start does (USER_SERVICE_PORT=4001 moves the management port to 10001)', () => {
    const [first] = LISTED_SERVICES;
    const r = spawnSync(process.execPath, [GENERATOR], {
      cwd: ROOT,
      env: { ...process.env, [portVariable(first.name)]: '4001' },
      encoding: 'utf8',
    });
    expect(targetsOf(parse(r.stdout) as PrometheusConfig)[first.name]).toBe(`127.0.0.1:${managementPort(4001)}`);
  });
});

describe("docker-compose.yml's profile observe", () => {
  it(`mounts ${COMPOSE_CONFIG} as the configuration writes it (node tools/observe/prometheus-config.mjs --write-compose)`, () => {
    const committed = readFileSync(join(ROOT, COMPOSE_CONFIG), 'utf8');
    const config = parse(committed) as PrometheusConfig;
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/ecom.rules.yml']);
    // the same jobs as npm run observe's, rules aside
    const native = parse(generate()) as PrometheusConfig;
    expect(config.scrape_configs).toEqual(native.scrape_configs);
    // and byte for byte what the script writes: when this fails, run it
    expect(generate('--compose')).toBe(committed);
  });

  it('mounts a configuration that promtool accepts with the rules where compose mounts them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'observe-compose-'));
    try {
      const file = join(dir, 'prometheus.yml');
      writeFileSync(
        file,
        readFileSync(join(ROOT, COMPOSE_CONFIG), 'utf8').replace('/etc/prometheus/rules/', `${join(ROOT, 'deploy/monitoring/rules')}/`),
      );
      const r = tool('promtool', ['check', 'config', file]);
      expect([r.code, r.stdout + r.stderr]).toEqual([0, expect.stringMatching(/SUCCESS: 1 rule files found/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("provisions Grafana with a default Prometheus data source, which the dashboards' `datasource` variable picks", () => {
    const { datasources } = parse(readFileSync(join(ROOT, 'tools/observe/compose/grafana/datasources.yaml'), 'utf8')) as {
      datasources: { type: string; url: string; isDefault?: boolean }[];
    };
    expect(datasources.filter((d) => d.isDefault)).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://127.0.0.1:9090' })]);
    const dashboard = JSON.parse(readFileSync(join(ROOT, DASHBOARDS, 'saga.json'), 'utf8')) as {
      templating: { list: { name: string; type: string; query?: string }[] };
    };
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
  });

  it('the compose cli accepts it and starts only Prometheus, Jaeger and Grafana besides the stack', () => {
    const run = (args: string[]) => tool('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), ...args]);
    const quiet = run(['--profile', 'observe', 'config', '--quiet']);
    expect([quiet.code, quiet.stdout + quiet.stderr]).toEqual([0, '']);
    const names = (args: string[]) =>
      run([...args, 'config', '--services'])
        .stdout.split('\n')
        .filter(Boolean)
        .sort();
    const stack = names([]);
    expect(names(['--profile', 'observe'])).toEqual([...stack, 'grafana', 'jaeger', 'prometheus'].sort());
    const config = parse(run(['--profile', 'observe', 'config']).stdout) as {
      services: Record<string, { network_mode?: string; volumes?: { source: string; target: string; read_only?: boolean }[] }>;
    };
    for (const name of ['prometheus', 'jaeger', 'grafana']) {
      expect(config.services[name].network_mode).toBe('host');
      for (const v of config.services[name].volumes ?? []) expect([v.target, v.read_only]).toEqual([v.target, true]);
    }
    expect(config.services['grafana'].volumes?.map((v) => [v.source, v.target])).toContainEqual([
      join(ROOT, DASHBOARDS),
      '/var/lib/grafana/dashboards/ecom',
    ]);
  });
});
