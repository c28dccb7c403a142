import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { SERVICES, type Platform } from '@ecom/testing';
import type { Row, ServiceFootprint } from '../report';
import type { Bench } from '../bench-context';

const IDLE_TARGET_MB = 120;
// after the last start, so that start-up's garbage is collected (docs/performance.md, change 23)
const SETTLE_MS = 60_000;

/** resident set size in MB: /proc where there is one, ps elsewhere */
function rssMb(pid: number): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

/** Anonymous and Pss of /proc/<pid>/smaps_rollup in MB; NaN where there is none */
function smapsMb(pid: number): { privateMb: number; pssMb: number } {
  const file = `/proc/${pid}/smaps_rollup`;
  if (!existsSync(file)) return { privateMb: NaN, pssMb: NaN };
  const text = readFileSync(file, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { privateMb: kb('Anonymous') / 1024, pssMb: kb('Pss') / 1024 };
}

/** the peak RSS of every running service, sampled twice a second while the load runs */
export class RssPeaks {
  readonly peak = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly platform: Platform) {
    this.timer = setInterval(() => this.sample(), 500);
  }

  private sample(): void {
    for (const service of this.platform.running()) {
      const pid = this.platform.instance(service).pid;
      if (pid === undefined) continue;
      const mb = rssMb(pid);
      if (mb > (this.peak.get(service) ?? 0)) this.peak.set(service, mb);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * each service started alone, one after another, from spawn to ready (GET /health/ready answers
 * 200); then, once all are up and quiet, each one's RSS. the peaks under load come later, from
 * RssPeaks around the loaded workloads.
 */
export async function startAndIdle(bench: Bench): Promise<ServiceFootprint[]> {
  const { platform } = bench;
  const footprints: ServiceFootprint[] = [];
  for (const service of SERVICES) {
    bench.step(`resources: starting ${service} alone`);
    const readyAfter = await platform.start([service]);
    footprints.push({
      service,
      startToReadyMs: readyAfter.get(service) ?? NaN,
      idleRssMb: NaN,
      idlePrivateMb: NaN,
      idlePssMb: NaN,
      loadPeakRssMb: NaN,
    });
  }
  bench.step(`resources: every service up; RSS after ${SETTLE_MS / 1000} s idle`);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return footprints.map((f) => {
    const pid = platform.instance(f.service).pid;
    if (pid === undefined) return f;
    const { privateMb, pssMb } = smapsMb(pid);
    return { ...f, idleRssMb: rssMb(pid), idlePrivateMb: privateMb, idlePssMb: pssMb };
  });
}

/** the rows of the footprints: idle RSS against its target, start-up time for information */
export function footprintRows(footprints: readonly ServiceFootprint[]): Row[] {
  const largest = footprints.reduce((a, b) => (b.idleRssMb > a.idleRssMb ? b : a));
  const largestPrivate = footprints.reduce((a, b) => (b.idlePrivateMb > a.idlePrivateMb ? b : a));
  const slowest = footprints.reduce((a, b) => (b.startToReadyMs > a.startToReadyMs ? b : a));
  const each = (pick: (f: ServiceFootprint) => number) => Object.fromEntries(footprints.map((f) => [f.service, Math.round(pick(f))]));
  return [
    {
      workload: 'resources',
      subject: `idle RSS, largest: ${largest.service}`,
      value: largest.idleRssMb,
      unit: 'MB',
      target: `≤ ${IDLE_TARGET_MB} MB each`,
      pass: footprints.every((f) => f.idleRssMb <= IDLE_TARGET_MB),
      details: each((f) => f.idleRssMb),
    },
    {
      // rss counts the node binary's pages, which every service on the host shares, in full for each
      workload: 'resources',
      subject: `idle private memory (Anonymous), largest: ${largestPrivate.service}`,
      value: largestPrivate.idlePrivateMb,
      unit: 'MB',
      target: 'for information',
      pass: true,
      details: Object.fromEntries(
        footprints.flatMap((f) => [
          [`${f.service} private`, Math.round(f.idlePrivateMb)],
          [`${f.service} pss`, Math.round(f.idlePssMb)],
        ]),
      ),
    },
    {
      workload: 'resources',
      subject: `start to ready, slowest: ${slowest.service}`,
      value: slowest.startToReadyMs,
      unit: 'ms',
      target: 'for information',
      pass: true,
      details: each((f) => f.startToReadyMs),
    },
  ];
}
