import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { call, createProduct } from '../api';
import { addingCpu, instancePids, perUnit } from '../cpu-by-process';
import { closedLoop, inTurns, Latencies, openLoop, type LoadResult } from '../load';
import type { Row } from '../report';
import type { Bench } from '../bench-context';

const CONNECTIONS = 50;
const TARGET_RATIO = 0.85;
const TARGET_GATEWAY_MS = 5;
/** the users' own figure: 5,000 requests a second at the platform's door */
const USERS_PEAK_RATE = 5_000;
/** the contenders take turns (inTurns), this many each */
const ROUNDS = 4;

/** bare fastify on the same redis key, in its own process like the service */
async function startBaseline(port: number, profiles?: string): Promise<() => void> {
  const child = fork(
    join(__dirname, '../baselines/fastify-redis.mjs'),
    [String(port), process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', process.env['REDIS_KEY_PREFIX'] ?? ''],
    // with --profile the baseline's profile sits beside the service's, to compare the two
    { execArgv: profiles ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`, '--cpu-prof-name=baseline-fastify-redis.cpuprofile'] : [] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the fastify baseline exited (${code})`)));
  });
  return () => child.kill();
}

/** one path of the comparison at a fixed rate: its client's connection pool and what it measured */
interface RatePath {
  readonly agent: Agent;
  readonly url: string;
  readonly latencies: Latencies;
  errors: number;
}

/**
 * the paths side by side at a fixed rate each, their requests interleaved (one of each in turn, as
 * arrivals of one open model at the rates together), so two paths are compared at the same moments:
 * a hiccup of the box (a collection, a compaction, the scheduler) falls on both alike. taking turns of
 * a few seconds each, the p99 difference was whichever path such a hiccup had hit, and swung from
 * -1 to +15 ms between runs of the same code. the client's connections are the caller's and outlive
 * the run, as a real client's pool does: a run that opened 64 connections while its first requests
 * arrived measured the handshakes in its p99
 */
async function sideBySide(paths: readonly RatePath[], rate: number, seconds: number): Promise<void> {
  await openLoop(rate * paths.length, seconds, async (i) => {
    const path = paths[i % paths.length];
    const t = performance.now();
    try {
      const res = await request(path.url, { dispatcher: path.agent });
      await res.body.dump();
      if (res.statusCode !== 200) path.errors++;
    } catch {
      path.errors++;
    }
    path.latencies.recordMs(performance.now() - t);
  });
}

/**
 * GET /api/products/:id of a cached product: product-service directly and through the gateway,
 * against bare fastify answering with the same redis value
 */
export async function hotRead(bench: Bench): Promise<Row[]> {
  const { platform, seconds } = bench;
  await platform.start(['product-service']);
  const product = await createProduct(platform.url, bench.admin, 0, 1_000);
  const path = `/api/products/${product.id}`;
  const direct = `http://127.0.0.1:${platform.portOf('product-service')}${path}`;
  await call(platform.url, 'GET', path); // fills the cache
  const stopBaseline = await startBaseline(bench.port('baseline'), bench.profiles);
  try {
    const baselineUrl = `http://127.0.0.1:${bench.port('baseline')}${path}`;
    // the cpu each process spent on a contender's turns: where the gap to the baseline goes, per request
    const services = instancePids(platform);
    const cpu = { baseline: new Map<string, number>(), service: new Map<string, number>(), gateway: new Map<string, number>() };
    const run = (url: string, spentOn: Map<string, number>) => (turnSeconds: number) =>
      addingCpu(services, spentOn, () => closedLoop({ url, connections: CONNECTIONS, seconds: turnSeconds }));
    bench.step(`hot read: warming up`);
    await closedLoop({ url: direct, connections: CONNECTIONS, seconds: 2 });
    await closedLoop({ url: baselineUrl, connections: CONNECTIONS, seconds: 2 });
    bench.step(
      `hot read: bare fastify, product-service, gateway in turns, ${ROUNDS} each; ${CONNECTIONS} connections, ${seconds} s each in all`,
    );
    const { baseline, service, gateway } = await inTurns(ROUNDS, seconds, {
      baseline: run(baselineUrl, cpu.baseline),
      service: run(direct, cpu.service),
      gateway: run(`${platform.url}${path}`, cpu.gateway),
    });
    const rates = (r: { turns: readonly number[] }) => r.turns.map((t) => Math.round(t)).join(', ');
    bench.step(`  turns in req/s: bare fastify ${rates(baseline)}; product-service ${rates(service)}; gateway ${rates(gateway)}`);
    const perRequest = (spent: Map<string, number>, r: LoadResult) =>
      perUnit(spent, r.requests)
        .map((c) => `${c.process} ${Math.round(c.cpuMs * 1000)} µs`)
        .join(', ');
    const cpuPerRequest = {
      baseline: perRequest(cpu.baseline, baseline),
      service: perRequest(cpu.service, service),
      gateway: perRequest(cpu.gateway, gateway),
    };
    bench.step(`  cpu per request, bare fastify: ${cpuPerRequest.baseline}`);
    bench.step(`  cpu per request, product-service: ${cpuPerRequest.service}`);
    bench.step(`  cpu per request, gateway: ${cpuPerRequest.gateway}`);
    // the gateway's cost at the same load: the users' peak (USERS_PEAK_RATE) on each path, or less where
    // product-service (both paths' requests) or the gateway would pass half what it sustains, so that
    // neither queues for the box's cores rather than for nginx
    const rate = Math.max(50, Math.round(Math.min(USERS_PEAK_RATE, service.perSecond / 4, gateway.perSecond / 2)));
    const agents = [new Agent({ connections: 64 }), new Agent({ connections: 64 })];
    const urls = [direct, `${platform.url}${path}`];
    const measured = () => urls.map((url, i): RatePath => ({ agent: agents[i], url, latencies: new Latencies(), errors: 0 }));
    // the first second at a fixed rate is the load's own start (its code compiling, its connections
    // opening): a p99 of 100-200 ms where the warm one is 5 ms, so both paths are warmed first, on the
    // connection pools they are measured on
    bench.step(`hot read: warming up at ${rate} requests/s each`);
    const [directAtRate, gatewayAtRate] = measured();
    try {
      await sideBySide(measured(), rate, 2);
      bench.step(`hot read: direct and through the gateway at ${rate} requests/s each, side by side`);
      await sideBySide([directAtRate, gatewayAtRate], rate, seconds);
    } finally {
      await Promise.all(agents.map((a) => a.close()));
    }
    const p99 = { direct: directAtRate.latencies.at(99), gateway: gatewayAtRate.latencies.at(99) };
    const details = (r: LoadResult) => ({ p50: r.p50, p99: r.p99, errors: r.errors, requests: r.requests });
    const ratio = service.perSecond / baseline.perSecond;
    const added = p99.gateway - p99.direct;
    return [
      {
        workload: 'hot read',
        subject: `product-service direct, ${CONNECTIONS} connections`,
        value: service.perSecond,
        unit: 'req/s',
        baseline: { what: 'bare fastify, same redis value', value: baseline.perSecond },
        ratio,
        target: `≥ ${TARGET_RATIO}× baseline`,
        pass: ratio >= TARGET_RATIO && service.errors === 0,
        details: {
          ...details(service),
          baselineP50: baseline.p50,
          baselineP99: baseline.p99,
          cpuPerRequest: cpuPerRequest.service,
          baselineCpuPerRequest: cpuPerRequest.baseline,
        },
      },
      {
        workload: 'hot read',
        subject: `through the gateway, ${CONNECTIONS} connections`,
        value: gateway.perSecond,
        unit: 'req/s',
        baseline: { what: 'bare fastify, same redis value', value: baseline.perSecond },
        ratio: gateway.perSecond / baseline.perSecond,
        target: 'for information',
        pass: gateway.errors === 0,
        details: details(gateway),
      },
      {
        workload: 'hot read',
        subject: `gateway p99 at ${rate} req/s`,
        value: p99.gateway,
        unit: 'ms',
        baseline: { what: 'direct p99 at the same rate', value: p99.direct },
        ratio: added,
        target: `≤ +${TARGET_GATEWAY_MS} ms`,
        pass: added <= TARGET_GATEWAY_MS && gatewayAtRate.errors === 0 && directAtRate.errors === 0,
        details: {
          directP50: directAtRate.latencies.at(50),
          gatewayP50: gatewayAtRate.latencies.at(50),
          requests: directAtRate.latencies.count + gatewayAtRate.latencies.count,
          errors: gatewayAtRate.errors + directAtRate.errors,
        },
      },
    ];
  } finally {
    stopBaseline();
  }
}
