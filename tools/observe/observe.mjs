#!/usr/bin/env node
// npm run observe: Prometheus and Jaeger next to the native stack, on 127.0.0.1, in the background.
//   npm run observe              builds them once (tools/delivery-check/ensure-tools.sh --bin prometheus jaeger,
//                                into the tools cache), writes their configuration and starts them; says so and
//                                prints the urls when they run already
//   npm run observe -- status    what runs, and how Prometheus's scrapes of the services go
//   npm run observe -- stop      stops them
// Prometheus scrapes every service's management port (tools/observe/prometheus-config.mjs) and evaluates
// deploy/monitoring/rules; Jaeger takes OTLP on 4318 (http) and 4317 (grpc), which the services send to when
// started with OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318. Grafana with the dashboards of
// deploy/monitoring/dashboards is docker-compose.yml's profile `observe` (it cannot be built here).
// their configuration, data, logs and pid files are in <tools cache>/observe (OBSERVE_HOME overrides it).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import {
  ROOT,
  fileSize,
  livePid,
  onProjectNode,
  portTaken,
  readPidFile,
  removeFile,
  signal,
  sleep,
  tailLines,
  writePidFile,
} from '../scripts/lib/proc.mjs';
import { UserError, main, ok, red, seconds, setPrefix, step, table, warn } from '../scripts/lib/ui.mjs';
import { RULES_FILE, prometheusConfig, scrapedServices } from './prometheus-config.mjs';

const ENSURE_TOOLS = 'tools/delivery-check/ensure-tools.sh';

/** the tools cache of ensure-tools.sh (same rules as the script) */
function toolsHome() {
  if (process.env.ECOM_TOOLS_HOME) return process.env.ECOM_TOOLS_HOME;
  if (process.getuid?.() === 0) return '/var/cache/ecom-tools';
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ecom-tools');
}

const HOME = process.env.OBSERVE_HOME || join(toolsHome(), 'observe');
const RUN = join(HOME, 'run');
const LOGS = join(HOME, 'logs');
const DATA = join(HOME, 'data');

const PROMETHEUS_PORT = 9090;
const JAEGER_UI_PORT = 16686;
const OTLP_HTTP_PORT = 4318;
const OTLP_GRPC_PORT = 4317;

const PROMETHEUS_URL = `http://127.0.0.1:${PROMETHEUS_PORT}`;
const JAEGER_URL = `http://127.0.0.1:${JAEGER_UI_PORT}`;

/** the two servers: how to start each, the ports it takes, and when it is ready */
function components(bin) {
  const promConfig = join(HOME, 'prometheus.yml');
  // Jaeger's is the repo's own: the compose profile mounts the same file
  const jaegerConfigFile = join(ROOT, 'tools/observe/jaeger.yaml');
  return [
    {
      name: 'prometheus',
      ports: [PROMETHEUS_PORT],
      config: promConfig,
      configText: () =>
        prometheusConfig({
          rulesFile: join(ROOT, RULES_FILE),
          header: 'written by npm run observe (tools/observe/prometheus-config.mjs): the services of npm start, on 127.0.0.1',
        }),
      command: () => [
        join(bin, 'prometheus'),
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${join(DATA, 'prometheus')}`,
        '--storage.tsdb.retention.time=2d',
        `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`,
      ],
      ready: async () => (await get(`${PROMETHEUS_URL}/-/ready`)).status === 200,
    },
    {
      name: 'jaeger',
      ports: [OTLP_HTTP_PORT, OTLP_GRPC_PORT, JAEGER_UI_PORT, 16685],
      command: () => [join(bin, 'jaeger'), `--config=${jaegerConfigFile}`],
      ready: async () => (await get(`${JAEGER_URL}/api/services`)).status === 200 && (await portTaken(OTLP_HTTP_PORT)),
    },
  ].map((c) => ({ ...c, pidFile: join(RUN, `${c.name}.pid`), log: join(LOGS, `${c.name}.log`) }));
}

/** GET with a short timeout; status 0 when nothing answers */
async function get(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/** builds (once) and finds the two binaries: ensure-tools.sh prints its progress, then the folder they are in */
async function ensureBinaries() {
  const script = join(ROOT, ENSURE_TOOLS);
  step(`checking the binaries (bash ${ENSURE_TOOLS} --bin prometheus jaeger)`);
  const { code, stdout } = await new Promise((done) => {
    const child = spawn('bash', [script, '--bin', 'prometheus', 'jaeger'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', (e) => done({ code: 1, stdout: `${e.message}` }));
    child.on('close', (c) => done({ code: c ?? 1, stdout: out }));
  });
  if (code !== 0) {
    throw new UserError(
      `installing Prometheus and Jaeger failed (exit ${code}; ${ENSURE_TOOLS} said why above). They are built from their Go modules: they need Go 1.26.7+ (go version), the Go module proxy, and for Prometheus's web UI the npm registry. Fix that and run \`npm run observe\` again; what was built is kept.`,
    );
  }
  const bin = stdout.trim().split('\n').pop();
  for (const name of ['prometheus', 'jaeger'])
    if (!existsSync(join(bin, name)))
      throw new UserError(`${ENSURE_TOOLS} reported success but ${join(bin, name)} is missing: run it again`);
  return bin;
}

/** why Prometheus has no web UI, when ensure-tools.sh could not build it */
function prometheusWithoutUi() {
  const marker = join(toolsHome(), 'prometheus-without-ui');
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
}

function printTail(c, from) {
  console.error(red(`--- last lines of ${c.log} ---`));
  console.error(tailLines(c.log, 30, from) || '(empty)');
  console.error(red('---'));
}

/** starts a component detached (its own session: it outlives this script, and stop signals its group) */
async function launch(c) {
  for (const port of c.ports) {
    if (await portTaken(port)) {
      throw new UserError(
        `${c.name}: port ${port} on 127.0.0.1 is taken by another process (not one npm run observe started). Stop it (\`ss -ltnp 'sport = :${port}'\` shows which), e.g. a docker compose --profile observe that runs, and run again.`,
      );
    }
  }
  if (c.configText) writeFileSync(c.config, c.configText());
  const from = fileSize(c.log);
  const [cmd, ...args] = c.command();
  const fd = openSync(c.log, 'a');
  writeSync(fd, `\n=== ${new Date().toISOString()} npm run observe: ${[cmd, ...args].join(' ')} ===\n`);
  const child = spawn(cmd, args, { cwd: HOME, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  writePidFile(c.pidFile, child.pid);
  step(`started ${c.name} (pid ${child.pid}, log ${c.log})`);
  return { ...c, from };
}

async function waitReady(started, timeoutS = 60) {
  const since = Date.now();
  for (const c of started) {
    for (;;) {
      if (!livePid(c.pidFile)) {
        printTail(c, c.from);
        removeFile(c.pidFile);
        throw new UserError(`${c.name} exited at start-up: its log ${c.log} says why (last lines above). Fix that and run again.`);
      }
      if (await c.ready()) {
        ok(`${c.name} ready (${seconds(Date.now() - since)})`);
        break;
      }
      if (Date.now() - since > timeoutS * 1000) {
        printTail(c, c.from);
        throw new UserError(`${c.name} not ready after ${timeoutS} s (its log: ${c.log}); \`npm run observe -- stop\` stops what runs.`);
      }
      await sleep(500);
    }
  }
}

function printUrls() {
  const noUi = prometheusWithoutUi();
  console.log();
  table([
    ['what', 'where'],
    ['Prometheus', `${PROMETHEUS_URL}${noUi ? '  (API only: its web UI did not build)' : '/query'}`],
    ['  targets (the services)', `${PROMETHEUS_URL}/targets   (API: ${PROMETHEUS_URL}/api/v1/targets)`],
    ['  alerts (deploy/monitoring/rules)', `${PROMETHEUS_URL}/alerts   (API: ${PROMETHEUS_URL}/api/v1/rules)`],
    ['Jaeger query API', `${JAEGER_URL}/api/services, ${JAEGER_URL}/api/traces?service=order-service`],
    ['OTLP in', `http://localhost:${OTLP_HTTP_PORT} (http), localhost:${OTLP_GRPC_PORT} (grpc)`],
    ['configuration, logs, data', HOME],
  ]);
  console.log();
  if (noUi)
    warn(
      `Prometheus has no web UI in this build (${noUi}); its API answers. Delete ${join(toolsHome(), 'stamps', 'prometheus-*')} to try the build again.`,
    );
  warn(
    `Jaeger's web UI is not in this build: it is a git submodule of Jaeger that its Go module lacks, and no package registry ships it built, so ${JAEGER_URL} shows a placeholder page. Traces: its API above, or Grafana's Jaeger data source in the compose profile.`,
  );
  step(
    `traces: start the services with  OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${OTLP_HTTP_PORT} npm start  (npm stop first if they run)`,
  );
  step('Grafana with the dashboards of deploy/monitoring/dashboards, and Jaeger with its UI, where a Docker engine runs:');
  step('  npm run observe -- stop; docker compose --profile observe up -d prometheus jaeger grafana   (Grafana: http://127.0.0.1:3000)');
  step('`npm run observe -- status` shows the scrapes; `npm run observe -- stop` stops both.');
}

async function start() {
  mkdirSync(RUN, { recursive: true });
  mkdirSync(LOGS, { recursive: true });
  mkdirSync(DATA, { recursive: true });
  const running = (bin) => components(bin).filter((c) => livePid(c.pidFile));
  const before = running('');
  if (before.length === 2) {
    ok(`already running: ${before.map((c) => `${c.name} (pid ${livePid(c.pidFile)})`).join(', ')}`);
    printUrls();
    return;
  }
  if (!existsSync(join(toolsHome(), 'bin', 'prometheus')) || !existsSync(join(toolsHome(), 'bin', 'jaeger')))
    step('the first run builds Prometheus (with its web UI) and Jaeger from their Go modules: about half an hour on 2 cores, once');
  const bin = await ensureBinaries();
  const started = [];
  for (const c of components(bin)) {
    const pid = livePid(c.pidFile);
    if (pid) {
      warn(`${c.name} is already running (pid ${pid}); left as is`);
      continue;
    }
    removeFile(c.pidFile); // stale
    started.push(await launch(c));
  }
  await waitReady(started);
  const noUi = prometheusWithoutUi();
  if (noUi) warn(`Prometheus runs without its web UI: ${noUi}`);
  printUrls();
}

async function stop() {
  let any = false;
  for (const c of components('')) {
    const pid = livePid(c.pidFile);
    if (!pid) {
      if (readPidFile(c.pidFile)) removeFile(c.pidFile);
      continue;
    }
    any = true;
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (livePid(c.pidFile) && Date.now() < deadline) await sleep(200);
    if (livePid(c.pidFile)) {
      warn(`${c.name} (pid ${pid}) did not stop within 15 s: killing it`);
      signal(pid, 'SIGKILL');
      await sleep(500);
    }
    removeFile(c.pidFile);
    ok(`stopped ${c.name} (pid ${pid})`);
  }
  if (!any) ok('nothing to stop: neither Prometheus nor Jaeger was running (from npm run observe)');
}

async function status() {
  const rows = [['component', 'state', 'url', 'log']];
  for (const c of components('')) {
    const pid = livePid(c.pidFile);
    rows.push([c.name, pid ? `running (pid ${pid})` : 'stopped', c.name === 'prometheus' ? PROMETHEUS_URL : JAEGER_URL, c.log]);
  }
  table(rows);
  const targets = await get(`${PROMETHEUS_URL}/api/v1/targets?state=active`);
  if (targets.status === 200) {
    console.log();
    const active = JSON.parse(targets.body).data.activeTargets;
    table([
      ['service', 'target', 'health', 'last error'],
      ...active.map((t) => [t.labels.service ?? t.labels.job, t.scrapeUrl, t.health, t.lastError || '']),
    ]);
    const expected = scrapedServices().map((s) => s.name);
    const missing = expected.filter((n) => !active.some((t) => t.labels.service === n));
    if (missing.length)
      warn(`not scraped: ${missing.join(', ')} (the service list changed? npm run observe -- stop, then npm run observe)`);
    const rules = await get(`${PROMETHEUS_URL}/api/v1/alerts`);
    if (rules.status === 200) {
      const alerts = JSON.parse(rules.body).data.alerts;
      step(
        `alerts firing or pending: ${alerts.length ? alerts.map((a) => `${a.labels.alertname}{${a.labels.service ?? ''}} ${a.state}`).join(', ') : 'none'}`,
      );
    }
  }
  const services = await get(`${JAEGER_URL}/api/services`);
  if (services.status === 200) step(`services that sent traces to Jaeger: ${JSON.parse(services.body).data?.join(', ') || 'none yet'}`);
}

main(async () => {
  setPrefix('observe');
  const command = process.argv[2] ?? 'start';
  if (!['start', 'stop', 'status'].includes(command))
    throw new UserError(`unknown command "${command}": npm run observe [-- start | status | stop]`);
  if (command === 'stop') return stop();
  if (command === 'status') return status();
  // as every npm script: the project's dependencies and Node (the Prometheus UI build runs on it)
  const rerun = await onProjectNode();
  if (rerun !== undefined) return rerun;
  process.on('SIGINT', () => {
    console.log();
    warn('interrupted: whatever was started keeps running; `npm run observe -- stop` stops it.');
    process.exit(130);
  });
  return start();
});
