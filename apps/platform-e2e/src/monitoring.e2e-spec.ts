// the Grafana dashboards (deploy/monitoring/dashboards) against the running services: every metric a
// panel reads is exported by at least one service, and one a panel reads with service="x" by x itself.
// a family counts from its # TYPE line, which prom-client writes for every registered metric before
// it has a sample, so a metric nothing has happened to yet still counts. the offline checks of the
// same dashboards (the catalog, the datasource, the generator) are tools/delivery-check's.
//
// the suite imports no code of the platform. the one import below is test tooling: the checks' own
// reading of the dashboards and of the exposition format, shared with tools/delivery-check so that
// both read the queries alike
// eslint-disable-next-line @nx/enforce-module-boundaries -- test tooling, not platform code (see above)
import * as dashboards from '../../../tools/delivery-check/src/monitoring/dashboards';
import { metricsUrl, scrapeText } from './support/metrics';
import { SERVICE_NAMES } from './support/services';

const uses = dashboards.metricUses(dashboards.readDashboards());

describe('the dashboards against what the services export', () => {
  const expositions = new Map<string, dashboards.Exposition>();

  beforeAll(async () => {
    const failures: string[] = [];
    await Promise.all(
      SERVICE_NAMES.map(async (service) => {
        try {
          expositions.set(service, dashboards.parseExposition(await scrapeText(service)));
        } catch (e) {
          failures.push((e as Error).message);
        }
      }),
    );
    if (failures.length) throw new Error(`could not scrape every service (are they running? npm start):\n  ${failures.join('\n  ')}`);
  });

  it('scrapes a prom-client registry from every service of deploy/services.json', () => {
    for (const service of SERVICE_NAMES) {
      const families = expositions.get(service)?.families;
      expect([
        metricsUrl(service),
        families?.get('process_cpu_seconds_total'),
        families?.get('http_server_request_duration_seconds'),
      ]).toEqual([metricsUrl(service), 'counter', 'histogram']);
    }
  });

  it('labels every series with the service that exports it', () => {
    const mislabelled = [...expositions].flatMap(([service, { samples }]) =>
      samples
        .filter((s) => s.labels['service'] !== service)
        .map((s) => `${service}: ${s.name}{service=${JSON.stringify(s.labels['service'])}}`),
    );
    expect(mislabelled.slice(0, 20)).toEqual([]);
  });

  it('exports every metric a dashboard panel reads, from the service its service="x" matcher names', () => {
    expect(uses.length).toBeGreaterThan(0);
    const exported = new Map<string, dashboards.FamilyLookup>(
      [...expositions].map(([service, { families }]) => [service, (name: string) => families.get(name)] as const),
    );
    // each line: "<dashboard file> › <panel title>: <service> does not export it: <metric> ..."
    expect(dashboards.unexportedMetrics(uses, exported)).toEqual([]);
  });

  it('checks every service: some panel reads each with its service="x" matcher', () => {
    const read = new Set(uses.map((u) => u.service));
    expect(SERVICE_NAMES.filter((s) => !read.has(s))).toEqual([]);
  });
});
