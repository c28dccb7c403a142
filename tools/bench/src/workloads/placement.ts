import { randomUUID } from 'node:crypto';
import { bearerFor } from '@ecom/testing';
import { closedLoop, inTurns, Latencies, type LoadResult } from '../load';
import type { Row } from '../report';
import type { Bench } from '../bench-context';
import { benchPool } from '../postgres';
import { addingCpu, instancePids, perUnit } from '../cpu-by-process';

const CONCURRENCY = 20;
const TARGET_RATIO = 0.5;
const SCHEMA = 'bench_baseline';
/** the baseline and the service take turns (inTurns), this many each */
const ROUNDS = 4;

/**
 * the raw baseline: a pg loop doing what placing an order writes, in one transaction (the order,
 * its line, its outbox row), at the same concurrency, on copies of order-service's own tables
 * (same columns, indexes and constraints) in a schema of their own, which no relay reads
 */
async function rawPgLoop() {
  const pg = benchPool(CONCURRENCY);
  await pg.query(`create schema if not exists ${SCHEMA}`);
  for (const table of ['orders', 'order_lines', 'outbox'])
    await pg.query(`create table if not exists ${SCHEMA}.${table} (like public.${table} including all)`);
  const cpu = new Map<string, number>();
  return {
    cpu,
    /** one turn; the cpu is read before the turn ends, while the pool's postgres processes still exist to be counted */
    async turn(turnSeconds: number, services: ReadonlySet<number>): Promise<LoadResult> {
      const latencies = new Latencies();
      const until = performance.now() + turnSeconds * 1000;
      const worker = async (w: number) => {
        const client = await pg.connect();
        try {
          while (performance.now() < until) {
            const t = performance.now();
            const id = randomUUID();
            const productId = randomUUID();
            await client.query('begin');
            await client.query(
              `insert into ${SCHEMA}.orders (id, user_id, status, idempotency_key, request_hash) values ($1, $2, 'PENDING', $3, $4)`,
              [id, `bench-${w}`, randomUUID(), 'x'],
            );
            await client.query(`insert into ${SCHEMA}.order_lines (order_id, line_no, product_id, quantity) values ($1, 1, $2, 1)`, [
              id,
              productId,
            ]);
            await client.query(`insert into ${SCHEMA}.outbox (id, topic, key, envelope) values ($1, 'order.placed', $2, $3)`, [
              randomUUID(),
              id,
              JSON.stringify({ orderId: id, lines: [{ productId, quantity: 1 }] }),
            ]);
            await client.query('commit');
            latencies.recordMs(performance.now() - t);
          }
        } finally {
          client.release();
        }
      };
      await addingCpu(services, cpu, () => Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w))));
      return {
        requests: latencies.count,
        perSecond: latencies.count / turnSeconds,
        p50: latencies.at(50),
        p99: latencies.at(99),
        errors: 0,
      };
    },
    end: () => pg.end(),
  };
}

/**
 * the accept path, POST /api/orders on order-service directly (http, auth, validation, the
 * transaction with its outbox), with no consumer running, against the raw pg loop at the same
 * concurrency. every connection is another customer, as in a shop.
 */
export async function placement(bench: Bench): Promise<Row[]> {
  const { platform, seconds } = bench;
  await platform.start(['order-service']);
  const tokens = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => bearerFor('customer', `bench-placer-${i}`)));
  const url = `http://127.0.0.1:${platform.portOf('order-service')}/api/orders`;
  const load = {
    url,
    connections: CONCURRENCY,
    method: 'POST' as const,
    body: JSON.stringify({ items: [{ productId: randomUUID(), quantity: 1 }] }),
    setupClient: (client: { setHeaders(h: Record<string, string>): void }, i: number) =>
      client.setHeaders({ 'content-type': 'application/json', authorization: tokens[i % tokens.length] }),
  };
  bench.step('order placement: warming up');
  await closedLoop({ ...load, seconds: 2 });
  bench.step(
    `order placement: raw pg loop and POST /api/orders in turns, ${ROUNDS} each; ${CONCURRENCY} at once, ${seconds} s each in all`,
  );
  const services = instancePids(platform);
  const raw = await rawPgLoop();
  const serviceCpu = new Map<string, number>();
  const measured = await inTurns(ROUNDS, seconds, {
    raw: (turnSeconds) => raw.turn(turnSeconds, services),
    service: (turnSeconds) => addingCpu(services, serviceCpu, () => closedLoop({ ...load, seconds: turnSeconds })),
  }).finally(() => raw.end());
  const { service } = measured;
  const rawPerSecond = measured.raw.perSecond;
  const rawPerTx = perUnit(raw.cpu, rawPerSecond * seconds);
  const servicePerOrder = perUnit(serviceCpu, service.perSecond * seconds);
  // where the two cores went, per transaction and per order: the gap is one process's cost, or all of them
  const line = (cpu: { process: string; cpuMs: number }[]) => cpu.map((c) => `${c.process} ${c.cpuMs.toFixed(2)} ms`).join(', ');
  bench.step(`  cpu per transaction, raw pg loop: ${line(rawPerTx)}`);
  bench.step(`  cpu per order, POST /api/orders: ${line(servicePerOrder)}`);
  const turns = service.turns.map((t, i) => `${Math.round(measured.raw.turns[i])} / ${Math.round(t)}`).join(', ');
  bench.step(`  turns, raw pg loop / POST /api/orders in req/s: ${turns}`);
  const ratio = service.perSecond / rawPerSecond;
  return [
    {
      workload: 'order placement',
      subject: `accept path, order-service direct, ${CONCURRENCY} at once, consumers stopped`,
      value: service.perSecond,
      unit: 'req/s',
      baseline: { what: 'raw pg loop, same transaction', value: rawPerSecond },
      ratio,
      target: `≥ ${TARGET_RATIO}× baseline`,
      pass: ratio >= TARGET_RATIO && service.errors === 0,
      details: {
        p50: service.p50,
        p99: service.p99,
        errors: service.errors,
        baselineP50: measured.raw.p50,
        baselineP99: measured.raw.p99,
        // each turn's raw pg loop / service, req/s: how steady the box was
        turns,
        cpuPerOrder: line(servicePerOrder),
        baselineCpuPerTx: line(rawPerTx),
      },
    },
  ];
}
