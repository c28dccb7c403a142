// the alert rules of deploy/monitoring/rules: promtool checks them and runs their unit tests, every alert has
// a case where it fires and one where it stays quiet, says how bad it is and where its runbook is, and the
// objects for the Prometheus Operator (deploy/monitoring/kubernetes) carry the same rules and scrape the
// services where they serve their metrics
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BASE_DIR, type K8sObject, type LabelSelector, ofKind, rendered, selects, type ServiceObject } from '../k8s/manifests';
import { SERVICE_NAMES } from '../support/service-list';
import { ROOT, tool } from '../support/tools';

const RULES_DIR = 'deploy/monitoring/rules';
const KUBERNETES_DIR = 'deploy/monitoring/kubernetes';
const PROMETHEUS_RULE = `${KUBERNETES_DIR}/prometheus-rule.yaml`;
const RUNBOOK = 'docs/RUNBOOK.md';
/** the headings of the runbook the alerts link to */
const RUNBOOK_ANCHORS = [
  'pods-not-starting',
  'a-store-is-unreachable',
  'high-db-load',
  'kafka-not-receiving',
  'consumer-lag-growing',
  'dlt-filling',
  'a-saga-is-stuck',
  'errors-and-latency',
  'resources',
];

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: Rule[];
}
interface AlertTestCase {
  alertname: string;
  eval_time: string;
  exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
}
interface TestFile {
  rule_files: string[];
  tests: { name?: string; alert_rule_test?: AlertTestCase[] }[];
}
interface ServiceMonitor extends K8sObject {
  spec: {
    selector: LabelSelector;
    namespaceSelector?: { any?: boolean; matchNames?: string[] };
    endpoints: { port?: string; path?: string; scheme?: string; interval?: string; honorLabels?: boolean }[];
  };
}

const files = (suffix: string) =>
  readdirSync(join(ROOT, RULES_DIR))
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => `${RULES_DIR}/${f}`);
const RULE_FILES = files('.rules.yml');
const TEST_FILES = files('.test.yml');
const readYaml = <T>(path: string): T => parse(readFileSync(join(ROOT, path), 'utf8')) as T;

const groupsOf = (path: string) => readYaml<{ groups: RuleGroup[] }>(path).groups;
const alerts = RULE_FILES.flatMap((f) => groupsOf(f).flatMap((g) => g.rules.filter((r) => r.alert !== undefined)));
const testCases = TEST_FILES.flatMap((f) => readYaml<TestFile>(f).tests.flatMap((t) => t.alert_rule_test ?? []));

/** promtool, failing with everything it said */
function promtool(args: string[], cwd = ROOT): string {
  const r = tool('promtool', args, { cwd });
  const output = `${r.stdout}${r.stderr}`;
  if (r.code !== 0) throw new Error(`promtool ${args.join(' ')} failed (exit ${r.code}):\n${output}`);
  return output;
}

describe('the alert rules', () => {
  it('are in rule files, with unit tests', () => {
    expect(RULE_FILES).not.toEqual([]);
    expect(TEST_FILES).not.toEqual([]);
    expect(alerts.length).toBeGreaterThan(0);
  });

  it('pass promtool check rules', () => {
    expect(promtool(['check', 'rules', ...RULE_FILES])).toMatch(/SUCCESS/);
  });

  it('pass their unit tests (promtool test rules)', () => {
    expect(promtool(['test', 'rules', ...TEST_FILES])).toMatch(/SUCCESS/);
  });

  it('unit tests that test something: a rule with another threshold fails them (negative)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alert-rules-'));
    try {
      cpSync(join(ROOT, RULES_DIR), dir, { recursive: true });
      const path = join(dir, 'ecom.rules.yml');
      const text = readFileSync(path, 'utf8');
      expect(text).toContain(') > 0.01');
      writeFileSync(path, text.replace(') > 0.01', ') > 0.03'));
      const r = tool('promtool', ['test', 'rules', 'ecom.rules.test.yml'], { cwd: dir });
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/alertname: HighErrorRate/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are all alerts, each named once', () => {
    const rules = RULE_FILES.flatMap((f) => groupsOf(f).flatMap((g) => g.rules));
    expect(rules.filter((r) => r.alert === undefined).map((r) => r.record)).toEqual([]);
    const names = alerts.map((a) => a.alert);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it.each(alerts.map((a) => [a.alert, a] as const))('%s has a for, a severity, a summary, a description and a runbook', (_, a) => {
    expect(a.for).toMatch(/^\d+[smh]$/);
    expect(['warning', 'critical']).toContain(a.labels?.['severity']);
    expect(Object.keys(a.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
    expect(a.annotations?.['summary']?.trim()).not.toBe('');
    expect(a.annotations?.['description']?.trim()).not.toBe('');
    const anchor = /^docs\/RUNBOOK\.md#(.+)$/.exec(a.annotations?.['runbook_url'] ?? '')?.[1];
    expect(RUNBOOK_ANCHORS).toContain(anchor);
  });

  it.each(alerts.map((a) => [a.alert] as const))('%s has a unit test where it fires and one where it stays quiet', (name) => {
    const cases = testCases.filter((c) => c.alertname === name);
    const firing = cases.filter((c) => (c.exp_alerts ?? []).length > 0);
    const quiet = cases.filter((c) => (c.exp_alerts ?? []).length === 0);
    expect({ firing: firing.length > 0, quiet: quiet.length > 0 }).toEqual({ firing: true, quiet: true });
    // promtool compares the annotations whole, so a firing case names all of them
    for (const c of firing)
      for (const e of c.exp_alerts ?? [])
        expect(Object.keys(e.exp_annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
  });

  it('unit tests name only alerts that exist (a misspelt name would pass any quiet case)', () => {
    const names = new Set(alerts.map((a) => a.alert));
    expect([...new Set(testCases.map((c) => c.alertname))].filter((n) => !names.has(n))).toEqual([]);
  });

  it('link runbook headings that exist, once the runbook does', () => {
    if (!existsSync(join(ROOT, RUNBOOK))) return;
    // GitHub's anchors: lower case, punctuation dropped, spaces to hyphens
    const headings = [...readFileSync(join(ROOT, RUNBOOK), 'utf8').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
    expect(RUNBOOK_ANCHORS.filter((a) => !headings.includes(a))).toEqual([]);
  });
});

describe('the Prometheus Operator objects (deploy/monitoring/kubernetes)', () => {
  // custom resources: kubernetes-validate has no schemas for them (src/k8s/render.spec.ts validates deploy/k8s
  // only), so the fields that matter are checked here
  const objects = () => rendered(KUBERNETES_DIR).manifests;
  const base = () => rendered(BASE_DIR).manifests;

  it('render with kustomize: one ServiceMonitor and one PrometheusRule, in the namespace of the services', () => {
    const manifests = objects();
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual([
      'monitoring.coreos.com/v1 PrometheusRule',
      'monitoring.coreos.com/v1 ServiceMonitor',
    ]);
    const namespaces = new Set(ofKind<ServiceObject>(base(), 'Service').map((s) => s.metadata.namespace));
    expect([...namespaces]).toEqual(['ecom']);
    for (const m of manifests) expect(m.metadata.namespace).toBe('ecom');
  });

  it('the PrometheusRule carries the rule files, as they are', () => {
    const rule = readYaml<K8sObject & { spec: { groups: RuleGroup[] } }>(PROMETHEUS_RULE);
    // when this fails: copy the groups of the rule files over, indented under spec
    expect(rule.spec.groups).toEqual(RULE_FILES.flatMap(groupsOf));
  });

  it('the ServiceMonitor scrapes every service, and nothing else, on its management port every 15 s', () => {
    const [monitor] = ofKind<ServiceMonitor>(objects(), 'ServiceMonitor');
    const services = ofKind<ServiceObject>(base(), 'Service');
    const selected = services.filter((s) => selects(monitor.spec.selector, s.metadata.labels));
    expect(selected.map((s) => s.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(monitor.spec.namespaceSelector).toBeUndefined();
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({ port: 'management', path: '/metrics', interval: '15s', honorLabels: true }),
    ]);
    for (const s of selected)
      expect([s.metadata.name, (s.spec.ports ?? []).map((p) => p.name)]).toEqual([s.metadata.name, expect.arrayContaining(['management'])]);
  });
});
