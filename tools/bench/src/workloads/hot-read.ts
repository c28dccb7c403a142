import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { call, createProduct } from '../api';
import { closedLoop, inTurns, Latencies, openLoop, type LoadResult } from '../load';
import type { Row } from '../report';
import type { Bench } from '../bench-context';

const CONNECTIONS = 50;
const TARGET_RATIO = 0.85;
const TARGET_GATEWAY_MS = 5;
/** the contenders take turns (inTurns), this many each */
const ROUNDS = 4;

/** bare fastify on the same redis key, in its own process like the service */
async function startBaseline(port: number): Promise<() => void> {
  const child = fork(join(__dirname, '../baselines/fastify-redis.mjs'), [
    String(port),
    process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    process.env['REDIS_KEY_PREFIX'] ?? '',
  ]);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the fastify baseline exited (${code})`)));
  });
  return () => child.kill();
}

/** a fixed request rate, so two paths are compared at the same load */
async function atRate(url: string, rate: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ connections: 64 });
  const latencies = new Latencies();
  let errors = 0;
  await openLoop(rate, seconds, async () => {
    const t = performance.now();
    try {
      const res = await request(url, { dispatcher: agent });
      await res.body.dump();
      if (res.statusCode !== 200) errors++;
    } catch {
      errors++;
    }
    latencies.recordMs(performance.now() - t);
  });
  await agent.close();
  return { requests: latencies.count, perSecond: latencies.count / seconds, p50: latencies.at(50), p99: latencies.at(99), errors };
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
  const stopBaseline = await startBaseline(bench.port('baseline'));
  try {
    const baselineUrl = `http://127.0.0.1:${bench.port('baseline')}${path}`;
    const run = (url: string) => (turnSeconds: number) => closedLoop({ url, connections: CONNECTIONS, seconds: turnSeconds });
    bench.step(`hot read: warming up`);
    await closedLoop({ url: direct, connections: CONNECTIONS, seconds: 2 });
    await closedLoop({ url: baselineUrl, connections: CONNECTIONS, seconds: 2 });
    bench.step(`hot read: bare fastify, product-service, gateway in turns, ${ROUNDS} each; ${CONNECTIONS} connections, ${seconds} s each in all`);
    const { baseline, service, gateway } = await inTurns(ROUNDS, seconds, {
      baseline: run(baselineUrl),
      service: run(direct),
      gateway: run(`${platform.url}${path}`),
    });
    const rates = (r: { turns: readonly number[] }) => r.turns.map((t) => Math.round(t)).join(', ');
    bench.step(`  turns in req/s: bare fastify ${rates(baseline)}; product-service ${rates(service)}; gateway ${rates(gateway)}`);
    // the gateway's cost at the same load: half what the slower of the two sustains, so neither queues
    const rate = Math.max(50, Math.round(Math.min(service.perSecond, gateway.perSecond) / 2));
    bench.step(`hot read: direct and through the gateway at ${rate} requests/s each, in turns`);
    const { directAtRate, gatewayAtRate } = await inTurns(ROUNDS, seconds, {
      directAtRate: (turnSeconds) => atRate(direct, rate, turnSeconds),
      gatewayAtRate: (turnSeconds) => atRate(`${platform.url}${path}`, rate, turnSeconds),
    });
    const details = (r: LoadResult) => ({ p50: r.p50, p99: r.p99, errors: r.errors, requests: r.requests });
    const ratio = service.perSecond / baseline.perSecond;
    const added = gatewayAtRate.p99 - directAtRate.p99;
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
        details: { ...details(service), baselineP50: baseline.p50, baselineP99: baseline.p99 },
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
        value: gatewayAtRate.p99,
        unit: 'ms',
        baseline: { what: 'direct p99 at the same rate', value: directAtRate.p99 },
        ratio: added,
        target: `≤ +${TARGET_GATEWAY_MS} ms`,
        pass: added <= TARGET_GATEWAY_MS && gatewayAtRate.errors === 0 && directAtRate.errors === 0,
        details: { directP50: directAtRate.p50, gatewayP50: gatewayAtRate.p50, errors: gatewayAtRate.errors + directAtRate.errors },
      },
    ];
  } finally {
    stopBaseline();
  }
}
