import autocannon from 'autocannon';
import { build, type Histogram } from 'hdr-histogram-js';

/** what one load run measured; latencies in milliseconds */
export interface LoadResult {
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** connection errors, timeouts and answers other than 2xx */
  readonly errors: number;
}

export interface ClosedLoop {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** per connection, e.g. each its own bearer token */
  readonly setupClient?: (client: autocannon.Client, index: number) => void;
}

/**
 * a fixed number of connections, each sending its next request as soon as the last one answered:
 * the throughput a server reaches when it is the bottleneck (autocannon)
 */
export async function closedLoop(load: ClosedLoop): Promise<LoadResult> {
  let clients = 0;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    method: load.method ?? 'GET',
    body: load.body,
    headers: { 'content-type': 'application/json', ...load.headers },
    setupClient: load.setupClient ? (client) => load.setupClient?.(client, clients++) : undefined,
  });
  const requests = result.requests.total;
  return {
    requests,
    perSecond: requests / load.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** a latency histogram in microseconds, read in milliseconds */
export class Latencies {
  private readonly h: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  recordMs(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** the q-th percentile (0-100) in ms; NaN when empty */
  at(q: number): number {
    return this.h.totalCount === 0 ? Number.NaN : this.h.getValueAtPercentile(q) / 1000;
  }
}

/**
 * an open model: starts `rate` operations a second for `seconds`, whether or not earlier ones have
 * answered, as independent users arrive. a server that falls behind shows it in latency and queueing,
 * not in a lower offered rate. resolves once every operation has settled.
 */
export async function openLoop(rate: number, seconds: number, operation: (i: number) => Promise<void>): Promise<{ started: number }> {
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      while (next < due) pending.push(operation(next++));
      if (next >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 2);
    tick();
  });
  await Promise.allSettled(pending);
  return { started: next };
}

/** what `inTurns` measured for one contender: its turns together, and each turn's rate */
export interface TurnsResult extends LoadResult {
  /** requests per second in each turn, in order */
  readonly turns: readonly number[];
}

/**
 * contenders that are compared with each other take turns, `rounds` times each and a share of the
 * seconds each turn, instead of one long run after another: what the box does in the background (a
 * checkpoint, a JVM's collection, a compaction) then falls on all of them, not on whichever ran while
 * it happened. one long run of each swung a ratio by ±30 % on a 2-core box. each contender's figure is
 * its requests over its seconds in all; p50 is the median turn's, p99 the worst turn's.
 */
export async function inTurns<K extends string>(
  rounds: number,
  seconds: number,
  contenders: Record<K, (turnSeconds: number) => Promise<LoadResult>>,
): Promise<Record<K, TurnsResult>> {
  const names = Object.keys(contenders) as K[];
  const results = new Map<K, LoadResult[]>(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++)
    for (const name of names) results.get(name)?.push(await contenders[name](seconds / rounds));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(
    names.map((name) => {
      const turns = results.get(name) ?? [];
      const requests = turns.reduce((sum, t) => sum + t.requests, 0);
      const result: TurnsResult = {
        requests,
        perSecond: requests / seconds,
        p50: median(turns.map((t) => t.p50)),
        p99: Math.max(...turns.map((t) => t.p99)),
        errors: turns.reduce((sum, t) => sum + t.errors, 0),
        turns: turns.map((t) => t.perSecond),
      };
      return [name, result];
    }),
  ) as Record<K, TurnsResult>;
}
