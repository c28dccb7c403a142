import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchChart } from './charts';

/** one line of the table: a measured figure beside its raw baseline, and the target it must meet */
export interface Row {
  readonly workload: string;
  /** what was measured, e.g. "product-service direct, 50 connections" */
  readonly subject: string;
  readonly value: number;
  readonly unit: string;
  /** the raw baseline it is compared with, measured in the same run; absent where the target is absolute */
  readonly baseline?: { readonly what: string; readonly value: number };
  /** value / baseline, or the difference for latency targets */
  readonly ratio?: number;
  /** a latency row whose ratio is value / baseline after all (growth: 100× data against 1×) */
  readonly ratioIs?: 'multiple';
  /** in words, e.g. "≥ 0.85× baseline" */
  readonly target: string;
  readonly pass: boolean;
  /** figures behind the row: latencies, errors, counts */
  readonly details: Record<string, number | string>;
}

/** one arrival rate of the saga workload */
export interface SagaStep {
  readonly catalog: string;
  readonly offered: number;
  readonly achieved: number;
  readonly orders: number;
  readonly errors: number;
  readonly stuck: number;
  readonly placementP50: number;
  readonly placementP99: number;
  readonly confirmedP50: number;
  readonly confirmedP99: number;
  /** commit → the shopper's live notification (SSE through the gateway) */
  readonly notifiedP99: number;
  /** commit → analytics' row for the confirmation written (cassandra's write time) */
  readonly analyticsP99: number;
  /** cpu time each process spent per order, from the first placement to the last outcome observed */
  readonly cpuPerOrder: { process: string; cpuMs: number }[];
  /** the same for each JVM server's thread groups (request threads, JIT compilers, collector…), the largest first */
  readonly jvmThreadsPerOrder: { process: string; threads: { group: string; cpuMs: number }[] }[];
  readonly sustainable: boolean;
  /** why a step is not sustainable */
  readonly missed: string[];
}

/** one service's memory and start-up */
export interface ServiceFootprint {
  readonly service: string;
  /** spawn → GET /health/ready answers 200, started alone */
  readonly startToReadyMs: number;
  readonly idleRssMb: number;
  /**
   * at idle, the memory that is the service's alone (Anonymous in smaps_rollup), and its proportional
   * share (Pss: each page shared with other processes, like the node binary's, divided among them)
   */
  readonly idlePrivateMb: number;
  readonly idlePssMb: number;
  /** the highest RSS seen while the hot read and the saga ran */
  readonly loadPeakRssMb: number;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: { readonly cpus: number; readonly memoryGiB: number; readonly node: string };
  readonly rows: Row[];
  readonly saga: SagaStep[];
  readonly services: ServiceFootprint[];
}

export function newReport(seconds: number): BenchReport {
  return {
    startedAt: new Date().toISOString(),
    seconds,
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    rows: [],
    saga: [],
    services: [],
  };
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

/** the table printed at the end of a run */
export function tableText(report: BenchReport): string {
  const rows = report.rows.map((r) => [
    r.pass ? 'ok  ' : 'MISS',
    r.workload,
    r.subject,
    `${fixed(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline.what}: ${fixed(r.baseline.value)} ${r.unit}` : '',
    r.ratio === undefined
      ? ''
      : r.unit === 'ms' && r.ratioIs !== 'multiple'
        ? `${r.ratio >= 0 ? '+' : ''}${fixed(r.ratio)} ms`
        : `${fixed(r.ratio, 2)}×`,
    r.target,
  ]);
  const steps = report.saga.map((s) => [
    s.sustainable ? 'ok  ' : 'MISS',
    s.catalog,
    `${s.offered}/s`,
    `${fixed(s.achieved)}/s`,
    `${fixed(s.placementP50)} / ${fixed(s.placementP99)}`,
    `${fixed(s.confirmedP50)} / ${fixed(s.confirmedP99)}`,
    `${fixed(s.notifiedP99)} / ${fixed(s.analyticsP99)}`,
    String(s.errors),
    String(s.stuck),
    s.missed.join('; '),
  ]);
  const parts = [pad([['', 'workload', 'measured', 'value', 'raw baseline, same run', 'ratio', 'target'], ...rows])];
  if (steps.length)
    parts.push(
      pad([
        [
          '',
          'saga catalog',
          'offered',
          'achieved',
          'placement p50/p99 ms',
          'commit→CONFIRMED p50/p99 ms',
          'commit→notified/analytics p99 ms',
          'errors',
          'stuck',
          'missed',
        ],
        ...steps,
      ]),
    );
  if (report.services.length)
    parts.push(
      pad([
        ['service', 'start → ready ms', 'idle RSS MB', 'idle private MB', 'idle PSS MB', 'peak RSS under load MB'],
        ...report.services.map((f) => [
          f.service,
          fixed(f.startToReadyMs, 0),
          fixed(f.idleRssMb, 0),
          fixed(f.idlePrivateMb, 0),
          fixed(f.idlePssMb, 0),
          fixed(f.loadPeakRssMb, 0),
        ]),
      ]),
    );
  return parts.join('\n\n');
}

/** writes <time>.json, latest.json and latest.svg under dir; returns the paths */
export function writeReport(report: BenchReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const json = JSON.stringify(report, null, 2);
  const files = [join(dir, `${stamp}.json`), join(dir, 'latest.json'), join(dir, 'latest.svg')];
  writeFileSync(files[0], json);
  writeFileSync(files[1], json);
  writeFileSync(files[2], benchChart(report));
  return files;
}
