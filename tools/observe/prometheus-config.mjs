// the Prometheus configuration of `npm run observe` (tools/observe/observe.mjs), and of docker-compose.yml's
// profile `observe` (tools/observe/compose/prometheus.yml, written from here): every service of
// deploy/services.json scraped on its management port on 127.0.0.1 (GET /metrics), every 5 s, with the labels
// that deploy/monitoring's alert rules and dashboards read, and the alert rules loaded so they evaluate.
//   node tools/observe/prometheus-config.mjs                 prints the configuration npm run observe writes
//   node tools/observe/prometheus-config.mjs --rules=PATH    the same, loading the rules from PATH
//   node tools/observe/prometheus-config.mjs --compose        prints the compose profile's
//   node tools/observe/prometheus-config.mjs --write-compose  (re)writes it: tools/observe/compose/prometheus.yml
// no imports beyond node's own and the repo's service list: tools/delivery-check/src/monitoring/observe.spec.ts
// runs it and checks the result with promtool.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { MANAGEMENT_PORT_OFFSET, REPO_ROOT, portVar, readServiceList } from '../scripts/lib/service-list.mjs';

/** the alert rules, in the repo */
export const RULES_FILE = 'deploy/monitoring/rules/ecom.rules.yml';
/** where the compose profile's Prometheus finds them (docker-compose.yml mounts deploy/monitoring/rules there) */
export const COMPOSE_RULES_FILE = '/etc/prometheus/rules/ecom.rules.yml';
/** the compose profile's configuration, committed: compose mounts it */
export const COMPOSE_CONFIG = 'tools/observe/compose/prometheus.yml';
export const SCRAPE_INTERVAL = '5s';

/**
 * the services and the management ports they listen on, as npm start starts them: the port of
 * deploy/services.json, or the one <NAME>_PORT moves it to, + MANAGEMENT_PORT_OFFSET
 * (tools/scripts/lib/services.mjs reads the same)
 * @param {NodeJS.ProcessEnv} [env] the environment npm start runs in; {} for the list's own ports
 */
export function scrapedServices(env = process.env, root = REPO_ROOT) {
  return readServiceList(root).map(({ name, port: fallback }) => {
    const override = Number(env[portVar(name)]);
    const port = override > 0 ? override : fallback;
    return { name, managementPort: port + MANAGEMENT_PORT_OFFSET };
  });
}

// a string as YAML reads it back: JSON's double-quoted strings are YAML's
const q = (s) => JSON.stringify(String(s));

/**
 * the configuration, as YAML text. one job per service, named after it, like the job the Prometheus
 * Operator gives the targets of deploy/monitoring/kubernetes' ServiceMonitor (the Service's name), and the
 * label `service` (the alert rules group and match on it: up{service=~".+-service"}); honor_labels keeps the
 * `service` label the services put on their own series, as the ServiceMonitor's honorLabels does
 * @param {{ rulesFile: string, services?: { name: string, managementPort: number }[], host?: string, header?: string }} options
 */
export function prometheusConfig({ rulesFile, services = scrapedServices(), host = '127.0.0.1', header }) {
  const lines = [
    ...(header ? header.split('\n').map((l) => `# ${l}`.trimEnd()) : []),
    'global:',
    `  scrape_interval: ${SCRAPE_INTERVAL}`,
    // a scrape may not outlast its interval
    `  scrape_timeout: ${SCRAPE_INTERVAL}`,
    `  evaluation_interval: ${SCRAPE_INTERVAL}`,
    'rule_files:',
    `  - ${q(rulesFile)}`,
    'scrape_configs:',
  ];
  for (const s of services) {
    lines.push(
      `  - job_name: ${q(s.name)}`,
      '    metrics_path: /metrics',
      '    scheme: http',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: [${q(`${host}:${s.managementPort}`)}]`,
      `        labels: { service: ${q(s.name)} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** the compose profile's file: the list's own ports, and the rules where compose mounts them */
export function composeConfig(root = REPO_ROOT) {
  return prometheusConfig({
    rulesFile: COMPOSE_RULES_FILE,
    services: scrapedServices({}, root),
    header: [
      "the Prometheus of docker-compose.yml's profile `observe` (host network: it scrapes the services of npm start",
      'on 127.0.0.1). written by `node tools/observe/prometheus-config.mjs --write-compose` from deploy/services.json:',
      'do not edit; npm test fails when it differs (tools/delivery-check/src/monitoring/observe.spec.ts).',
    ].join('\n'),
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const rules = args.find((a) => a.startsWith('--rules='))?.slice('--rules='.length);
  const unknown = args.filter((a) => a !== '--compose' && a !== '--write-compose' && !a.startsWith('--rules='));
  if (unknown.length) {
    console.error(`unknown argument ${unknown[0]}: use --rules=PATH, --compose or --write-compose`);
    process.exit(2);
  }
  if (args.includes('--compose')) {
    process.stdout.write(composeConfig());
  } else if (args.includes('--write-compose')) {
    writeFileSync(join(REPO_ROOT, COMPOSE_CONFIG), composeConfig());
    console.log(`wrote ${COMPOSE_CONFIG}`);
  } else {
    process.stdout.write(prometheusConfig({ rulesFile: rules ?? join(REPO_ROOT, RULES_FILE) }));
  }
}
