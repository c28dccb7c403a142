import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Balancer } from './balancer';
import { Instance, ROOT } from '@ecom/testing';
import { Load, type LoadRequest, type LoadResult } from './load';

export interface Handover {
  readonly replaced: number;
  readonly by: number;
  /** how long the new instance took to report ready */
  readonly readyMs: number;
  /** SIGTERM to exit of the old one */
  readonly drainMs: number;
  readonly exitCode: number | null;
}

export interface Effects {
  /** events produced during the run for the service to consume */
  readonly produced: number;
  /** effects found afterwards, once per event expected */
  readonly applied: number;
  /** effects found more than once */
  readonly doubled: number;
  /**
   * events seen more than once on the wire: allowed (delivery is at least once, consumers are
   * idempotent), reported so a regression in the relays shows
   */
  readonly resent?: number;
}

export interface RolloutReport {
  readonly service: string;
  readonly load: LoadResult;
  readonly handovers: Handover[];
  readonly effects?: Effects;
}

export interface Scenario {
  readonly service: string;
  /** prepares data through the balancer; runs before the load starts */
  setup?(baseUrl: string): Promise<void>;
  /** the steady load, request by request */
  request(i: number): LoadRequest;
  /** produces events for the service while its instances are replaced, until `done` resolves */
  during?(baseUrl: string, done: Promise<void>): Promise<void>;
  /** counts the effects of what `during` produced */
  verify?(baseUrl: string): Promise<Effects>;
}

export interface RolloutOptions {
  /** the balancer's port; the four instances take the next four */
  readonly basePort: number;
  readonly minRequests: number;
  readonly concurrency?: number;
}

const sleepUntil = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 50));
};

/**
 * two instances behind nginx under steady load; each is replaced in turn as kubernetes does with
 * maxSurge 1 / maxUnavailable 0: start the new one, wait until it is ready, take the old one out
 * of the balancer (the endpoint removal the preStop sleep waits for), then SIGTERM it and let it drain.
 */
export async function rollingUpdate(scenario: Scenario, opts: RolloutOptions): Promise<RolloutReport> {
  const logDir = join(ROOT, '.stack/logs/rollout');
  mkdirSync(logDir, { recursive: true });
  const [lb, old1, old2, new1, new2] = [0, 1, 2, 3, 4].map((i) => opts.basePort + i);
  const running = new Map<number, Instance>();
  const start = (port: number) => {
    const i = Instance.start(scenario.service, port, logDir);
    running.set(port, i);
    return i;
  };
  let balancer: Balancer | undefined;
  try {
    // one after the other: on an empty database, the local MongoDB-wire server fails a collection that two
    // processes create at the same moment (real MongoDB answers NamespaceExists, which @ecom/store-mongo accepts)
    await start(old1).ready();
    await start(old2).ready();
    balancer = await Balancer.start(lb, [old1, old2], join(logDir, `nginx-${scenario.service}`));
    const baseUrl = `http://127.0.0.1:${lb}`;
    await scenario.setup?.(baseUrl);

    const load = new Load(baseUrl, (i) => scenario.request(i), opts.minRequests, opts.concurrency);
    let finishDuring!: () => void;
    const duringDone = new Promise<void>((r) => (finishDuring = r));
    const during = scenario.during?.(baseUrl, duringDone);

    const handovers: Handover[] = [];
    const upstream = [old1, old2];
    for (const [k, [oldPort, newPort]] of [
      [old1, new1],
      [old2, new2],
    ].entries()) {
      // spread the two handovers over the run: at a quarter and at half of the requests
      await sleepUntil(() => load.count >= (opts.minRequests * (k + 1)) / 4);
      const fresh = start(newPort);
      const readyMs = await fresh.ready();
      upstream.splice(upstream.indexOf(oldPort), 1, newPort);
      await balancer.route(upstream);
      const old = running.get(oldPort);
      if (!old) throw new Error(`no instance on ${oldPort}`);
      const { code, ms } = await old.stop();
      running.delete(oldPort);
      handovers.push({ replaced: oldPort, by: newPort, readyMs, drainMs: ms, exitCode: code });
    }
    finishDuring();
    await during;
    const result = await load.stop();
    const effects = await scenario.verify?.(baseUrl);
    return { service: scenario.service, load: result, handovers, effects };
  } finally {
    await balancer?.stop();
    await Promise.all([...running.values()].map((i) => i.stop()));
  }
}

/** one line per service, for people */
export function formatReport(reports: readonly RolloutReport[]): string {
  const rows = reports.map((r) => {
    const rps = Math.round(r.load.requests / r.load.seconds);
    const drains = r.handovers.map((h) => `${h.drainMs} ms (exit ${h.exitCode})`).join(', ');
    const e = r.effects;
    const effects = e
      ? `${e.applied}/${e.produced} applied once, ${e.doubled} twice${e.resent ? ` (${e.resent} re-sent on the wire, dropped)` : ''}`
      : '-';
    return (
      `  ${r.service.padEnd(21)} ${String(r.load.requests).padStart(7)} requests  ${String(r.load.nonOk).padStart(3)} non-2xx` +
      `  ${String(rps).padStart(5)} req/s  ${r.load.retried} reset GETs retried  drains: ${drains}  events: ${effects}`
    );
  });
  const total = reports.reduce((n, r) => n + r.load.nonOk, 0);
  return ['rolling updates (2 instances behind nginx, each replaced under load):', ...rows, `  non-2xx over the whole run: ${total}`].join(
    '\n',
  );
}
