// the Grafana dashboards of deploy/monitoring/dashboards and the metric catalog of
// deploy/monitoring/README.md, as the checks read them: every query of every panel (and of every
// query variable), the metrics each reads, and which of them a set of families lacks. the offline
// check (dashboards.spec.ts) holds them to the catalog, the e2e suite (apps/platform-e2e/src/
// monitoring.e2e-spec.ts) to what the running services export.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/tools';
import { familyOf, metricReferences, whyUnknown, type FamilyLookup, type MetricType } from './promql-metrics';

// what the e2e suite needs besides, so that it imports from here alone
export { parseExposition, type Exposition } from './exposition';
export type { FamilyLookup } from './promql-metrics';

export const DASHBOARDS_DIR = 'deploy/monitoring/dashboards';
export const MONITORING_README = 'deploy/monitoring/README.md';
/** the variable every panel queries through */
export const DATASOURCE_UID = '${datasource}';

export interface DatasourceRef {
  readonly type?: string;
  readonly uid?: string;
}

export interface GrafanaTarget {
  readonly refId?: string;
  readonly expr?: string;
  readonly datasource?: DatasourceRef | string;
}

export interface GrafanaPanel {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly datasource?: DatasourceRef | string | null;
  readonly gridPos?: { readonly h: number; readonly w: number; readonly x: number; readonly y: number };
  readonly targets?: readonly GrafanaTarget[];
  /** a row's panels (a collapsed row keeps them here) */
  readonly panels?: readonly GrafanaPanel[];
}

export interface GrafanaVariable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { readonly query?: string };
  readonly datasource?: DatasourceRef | string | null;
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly GrafanaPanel[];
  readonly templating?: { readonly list?: readonly GrafanaVariable[] };
}

export interface DashboardFile {
  /** e.g. order-service.json */
  readonly file: string;
  readonly dashboard: GrafanaDashboard;
}

/** the dashboard files of the folder, in name order */
export function dashboardFileNames(root: string = ROOT): string[] {
  return readdirSync(join(root, DASHBOARDS_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function readDashboards(root: string = ROOT): DashboardFile[] {
  return dashboardFileNames(root).map((file) => ({
    file,
    dashboard: JSON.parse(readFileSync(join(root, DASHBOARDS_DIR, file), 'utf8')) as GrafanaDashboard,
  }));
}

/** every panel that shows data: rows are left out, the panels of collapsed rows are in */
export function panelsOf(dashboard: GrafanaDashboard): GrafanaPanel[] {
  return dashboard.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

export interface Query {
  readonly file: string;
  /** the panel's title, or `variable $name` */
  readonly where: string;
  readonly expr: string;
}

/**
 * the PromQL of a query variable: the selector of label_values(selector, label), the expression of
 * query_result(expr); none for label_values(label), label_names() and metrics(regex)
 */
export function variableExpr(query: string): string | undefined {
  const q = query.trim();
  const labelValues = /^label_values\(\s*([\s\S]+),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/.exec(q);
  if (labelValues) return labelValues[1];
  const result = /^query_result\(([\s\S]+)\)$/.exec(q);
  if (result) return result[1];
  if (/^(label_values|label_names|metrics)\(/.test(q)) return undefined;
  return q;
}

const variableQuery = (v: GrafanaVariable) => (typeof v.query === 'string' ? v.query : v.query?.query);

/** every query of a dashboard: its panels' targets, and its query variables' */
export function queriesOf({ file, dashboard }: DashboardFile): Query[] {
  const panels = panelsOf(dashboard).flatMap((p) =>
    (p.targets ?? []).filter((t) => t.expr?.trim()).map((t) => ({ file, where: p.title ?? `panel ${p.id}`, expr: t.expr as string })),
  );
  const variables = (dashboard.templating?.list ?? [])
    .filter((v) => v.type === 'query')
    .flatMap((v) => {
      const query = variableQuery(v);
      const expr = query === undefined ? undefined : variableExpr(query);
      return expr === undefined ? [] : [{ file, where: `variable $${v.name}`, expr }];
    });
  return [...panels, ...variables];
}

export interface MetricUse extends Query {
  /** the series name as the query writes it */
  readonly metric: string;
  /** the service of its service="x" matcher */
  readonly service?: string;
}

/** every metric every query of the dashboards reads */
export function metricUses(files: readonly DashboardFile[]): MetricUse[] {
  return files.flatMap((f) =>
    queriesOf(f).flatMap((q) =>
      metricReferences(q.expr).map((r) => ({ ...q, metric: r.name, ...(r.service !== undefined && { service: r.service }) })),
    ),
  );
}

/** where a use is, for a failure message: "order-service.json › Pending orders" */
export const placeOf = (u: Query) => `${u.file} › ${u.where}`;

// ---- the catalog --------------------------------------------------------------------------------------

export interface CatalogEntry {
  /** a metric name, or a pattern with * (process_*) */
  readonly name: string;
  readonly type: MetricType;
}

/** the first column of the table of "## The metrics" in the README, with its type column */
export function parseCatalog(readme: string): CatalogEntry[] {
  const section = /^## The metrics\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  if (section === undefined) throw new Error(`${MONITORING_README} has no "## The metrics" section`);
  const rows = section
    .split('\n')
    .filter((l) => l.trim().startsWith('|'))
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim()),
    );
  const header = rows.findIndex((r) => r[0] === 'metric');
  if (header < 0) throw new Error(`${MONITORING_README}: "## The metrics" has no table whose first column is "metric"`);
  const typeColumn = rows[header].indexOf('type');
  const entries: CatalogEntry[] = [];
  for (const r of rows.slice(header + 1)) {
    if (r.every((c) => /^:?-+:?$/.test(c))) continue; // the |---| line
    const word = (r[typeColumn] ?? '').match(/^[a-z]+/)?.[0] ?? '';
    const type: MetricType = (['counter', 'gauge', 'histogram', 'summary'] as const).find((t) => t === word) ?? 'untyped';
    for (const m of r[0].matchAll(/`([^`]+)`/g)) entries.push({ name: m[1], type });
  }
  return entries;
}

export function readCatalog(root: string = ROOT): CatalogEntry[] {
  return parseCatalog(readFileSync(join(root, MONITORING_README), 'utf8'));
}

/** a lookup over the catalog: exact names, and the * patterns (process_*) */
export function catalogLookup(entries: readonly CatalogEntry[]): FamilyLookup {
  const exact = new Map(entries.filter((e) => !e.name.includes('*')).map((e) => [e.name, e.type]));
  const patterns = entries
    .filter((e) => e.name.includes('*'))
    .map((e) => ({ re: new RegExp(`^${e.name.split('*').map(escapeRegExp).join('[A-Za-z0-9_:]*')}$`), type: e.type }));
  return (name) => exact.get(name) ?? patterns.find((p) => p.re.test(name))?.type;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---- the checks ---------------------------------------------------------------------------------------

/** "<file> › <panel>: <why>" for every use of a metric the lookup lacks */
export function unknownMetrics(uses: readonly MetricUse[], lookup: FamilyLookup): string[] {
  return uses.filter((u) => !familyOf(u.metric, lookup)).map((u) => `${placeOf(u)}: ${whyUnknown(u.metric, lookup)}`);
}

/**
 * "<file> › <panel>: <why>" for every use no service exports: one with a service="x" matcher must
 * be exported by x, any other by at least one service. `exported` maps a service to its families.
 */
export function unexportedMetrics(uses: readonly MetricUse[], exported: ReadonlyMap<string, FamilyLookup>): string[] {
  const anyService: FamilyLookup = (name) => [...exported.values()].map((lookup) => lookup(name)).find((t) => t !== undefined);
  return uses.flatMap((u) => {
    if (u.service !== undefined) {
      const own = exported.get(u.service);
      if (!own) return [`${placeOf(u)}: ${u.metric} is read from ${u.service}, which is not one of the scraped services`];
      return familyOf(u.metric, own) ? [] : [`${placeOf(u)}: ${u.service} does not export it: ${whyUnknown(u.metric, own)}`];
    }
    return familyOf(u.metric, anyService) ? [] : [`${placeOf(u)}: no service exports it: ${whyUnknown(u.metric, anyService)}`];
  });
}
