// the benchmark itself, started by `npm run bench` (tools/scripts/bench.mjs), which brings up the
// servers, builds the services and gives this process a namespace of its own on the servers.
// each workload runs next to its raw baseline in the same run; the table goes to stdout, the JSON
// and the chart to bench/results/.
import { join } from 'node:path';
import { stopKafkajsIdleTimer } from '@ecom/kafka';
import { Platform, ROOT } from '@ecom/testing';
import { FreshBearer } from './fresh-bearer';
import type { Bench } from './bench-context';
import { newReport, tableText, writeReport } from './report';
import { growth } from './workloads/growth';
import { hotRead } from './workloads/hot-read';
import { placement } from './workloads/placement';
import { relayDrain } from './workloads/relay';
import { footprintRows, RssPeaks, startAndIdle } from './workloads/resources';
import { saga } from './workloads/saga';

const WORKLOADS = ['resources', 'hot-read', 'saga', 'growth', 'placement', 'relay'] as const;
type Workload = (typeof WORKLOADS)[number];

// clear of the local stack (3001-3005, 8080) and of the tests' own platforms; BENCH_PORT moves the
// block (services at +0..+5, the baseline at +90), so two benchmarks can run side by side
const BASE_PORT = Number(process.env['BENCH_PORT'] ?? 4300);
const BASELINE_PORT = BASE_PORT + 90;

function numbers(raw: string | undefined, fallback: number[]): number[] {
  if (!raw) return fallback;
  const list = raw.split(',').map(Number);
  if (list.some((n) => !(n > 0))) throw new Error(`expected positive numbers separated by commas, got "${raw}"`);
  return list;
}

function catalogs(raw: string | undefined): ('hot' | 'spread')[] {
  const list = (raw ?? 'hot,spread').split(',');
  const unknown = list.filter((c) => c !== 'hot' && c !== 'spread');
  if (unknown.length) throw new Error(`unknown catalog ${unknown.join(', ')}; there are hot and spread`);
  return list as ('hot' | 'spread')[];
}

async function main(): Promise<number> {
  // the observers and the bare producer are raw kafkajs clients: without the services' fix for its
  // idle timer they re-arm a 1 ms timer per broker connection, on the cores the platform they measure uses (ADR 14)
  stopKafkajsIdleTimer();
  const env = process.env;
  const only = (env['BENCH_ONLY'] ?? WORKLOADS.join(',')).split(',') as Workload[];
  const unknown = only.filter((w) => !WORKLOADS.includes(w));
  if (unknown.length) throw new Error(`unknown workload ${unknown.join(', ')}; there are ${WORKLOADS.join(', ')}`);
  const seconds = numbers(env['BENCH_SECONDS'], [10])[0];
  const report = newReport(seconds);
  // --profile: each service writes a cpu profile when it stops (open it in chrome's devtools)
  const profiles = env['BENCH_PROFILE'] ? join(ROOT, 'bench/results/profiles', report.startedAt.replace(/[:.]/g, '-')) : undefined;
  const platform = new Platform(BASE_PORT, {
    logDir: join(ROOT, '.stack/logs/bench'),
    // as users run them: the default log level, not the tests' warn
    env: { LOG_LEVEL: 'info', ...(profiles ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profiles}` } : {}) },
    // the gateway's per-address limits would turn the load, all from 127.0.0.1, into 429s
    gatewayLimits: {
      GATEWAY_WRITE_RATE: '100000r/s',
      GATEWAY_WRITE_BURST: '100000',
      GATEWAY_SEARCH_RATE: '100000r/s',
      GATEWAY_SEARCH_BURST: '100000',
    },
  });
  const admin = await FreshBearer.of('admin', 'bench-admin');
  const bench: Bench = {
    platform,
    seconds,
    get admin() {
      return admin.value;
    },
    rates: numbers(env['BENCH_RATES'], [10, 25, 50, 100, 150, 200]),
    catalogs: catalogs(env['BENCH_CATALOGS']),
    profiles,
    port: () => BASELINE_PORT,
    step: (message) => console.log(`[bench] ${message}`),
  };
  try {
    // first, on a quiet platform: each service's start-up and idle memory
    const footprints = only.includes('resources') ? await startAndIdle(bench) : [];
    const peaks = new RssPeaks(platform);
    if (only.includes('hot-read')) report.rows.push(...(await hotRead(bench)));
    if (only.includes('saga')) {
      const { rows, steps } = await saga(bench);
      report.rows.push(...rows);
      report.saga.push(...steps);
    }
    peaks.stop();
    report.services.push(...footprints.map((f) => ({ ...f, loadPeakRssMb: peaks.peak.get(f.service) ?? NaN })));
    if (footprints.length) report.rows.push(...footprintRows(report.services));
    if (only.includes('growth')) report.rows.push(...(await growth(bench)));
    // the accept path and the relay run last, with every other service stopped: their orders are never consumed
    if (only.includes('placement') || only.includes('relay'))
      for (const s of ['user-service', 'product-service', 'analytics-service', 'notification-service']) await platform.stopService(s);
    if (only.includes('placement')) report.rows.push(...(await placement(bench)));
    if (only.includes('relay')) report.rows.push(...(await relayDrain(bench)));
  } finally {
    await platform.stop();
  }
  console.log(`\n${tableText(report)}\n`);
  const files = writeReport(report, join(ROOT, 'bench/results'));
  console.log(`[bench] written: ${files.map((f) => f.slice(ROOT.length + 1)).join(', ')}`);
  if (profiles) console.log(`[bench] cpu profiles of the services and the baselines: ${profiles.slice(ROOT.length + 1)}/`);
  const missed = report.rows.filter((r) => !r.pass);
  console.log(missed.length ? `[bench] ${missed.length} of ${report.rows.length} targets missed` : `[bench] every target met`);
  return missed.length ? 1 : 0;
}

let settled = false;
// a step that awaits what can never settle (nothing left on the event loop) would end the
// process quietly with code 0: say so, and fail
process.on('exit', (code) => {
  if (settled) return;
  console.error(
    `[bench] error: the benchmark ended before its report (exit code ${code}): a step waited for something that can never happen; the output above shows which step`,
  );
  process.exitCode = 3;
});
main().then(
  (code) => {
    settled = true;
    process.exit(code);
  },
  (e: unknown) => {
    settled = true;
    console.error(`[bench] error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
