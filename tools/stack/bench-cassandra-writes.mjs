#!/usr/bin/env node
// acknowledged-write throughput of Cassandra: <n> single-row prepared inserts (consistency LOCAL_ONE,
// the driver's default, as analytics writes) with <concurrency> in flight, into a table shaped like
// analytics' series_facts, in a keyspace of its own (SimpleStrategy, one replica) dropped afterwards.
// the rows go to 8 series of one day, so 8 partitions take the writes, as a day of analytics does.
// <warmup> inserts into a second table come first, untimed: a freshly started node is slow at first.
//   node tools/stack/bench-cassandra-writes.mjs [--contact 127.0.0.1:9042] [--n 20000] [--concurrency 32]
//     [--warmup 2000]
// prints one line: inserts, seconds, inserts per second, median and p99 latency.
import process from 'node:process';
import { parseArgs } from 'node:util';
import cassandra from 'cassandra-driver';

const { values: opts } = parseArgs({
  options: {
    contact: { type: 'string', default: '127.0.0.1:9042' },
    n: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '2000' },
  },
});
const n = Number(opts.n);
const concurrency = Number(opts.concurrency);
const warmup = Number(opts.warmup);
const KS = 'stack_write_bench';
const SERIES = [
  'signups',
  'orders.placed',
  'orders.confirmed',
  'orders.rejected',
  'orders.cancelled',
  'revenue.EUR',
  'revenue.USD',
  'revenue.GBP',
];
const { LocalDate, Long, Uuid } = cassandra.types;

const client = new cassandra.Client({
  contactPoints: [opts.contact],
  localDataCenter: 'datacenter1', // SimpleSnitch's
  // schema changes on a busy single node can take longer than the default 12 s
  socketOptions: { readTimeout: 60_000 },
});

// <count> inserts, <concurrency> at a time; returns each insert's latency in ms
async function insertMany(table, count) {
  const cql = `insert into ${KS}.${table} (series, day, bucket_minute, event_id, value) values (?, ?, ?, ?, ?)`;
  const day = LocalDate.now();
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const latencies = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = process.hrtime.bigint();
        await client.execute(cql, [SERIES[i % SERIES.length], day, minute, Uuid.random(), Long.fromNumber(1)], {
          prepare: true,
          isIdempotent: true,
        });
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  return latencies;
}

async function rows(table) {
  const day = LocalDate.now();
  let total = 0;
  for (const s of SERIES) {
    const rs = await client.execute(`select count(*) as c from ${KS}.${table} where series = ? and day = ?`, [s, day], { prepare: true });
    total += Number(rs.first().c);
  }
  return total;
}

await client.connect();
try {
  await client.execute(`drop keyspace if exists ${KS}`);
  await client.execute(`create keyspace ${KS} with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  for (const table of ['warm', 'series_facts']) {
    await client.execute(
      `create table ${KS}.${table} (series text, day date, bucket_minute timestamp, event_id uuid, value bigint,
         primary key ((series, day), bucket_minute, event_id))`,
    );
  }
  // warm up: the connection pool, the prepared statement and a freshly started jvm's hot paths
  if (warmup > 0) await insertMany('warm', warmup);
  const started = process.hrtime.bigint();
  const latencies = await insertMany('series_facts', n);
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  const count = await rows('series_facts');
  if (count !== n) throw new Error(`expected ${n} rows, found ${count}`);
  console.log(
    `${count} inserts with ${concurrency} in flight in ${secs.toFixed(2)} s: ${Math.round(n / secs)}/s, median ${pct(50)} ms, p99 ${pct(99)} ms`,
  );
  await client.execute(`drop keyspace if exists ${KS}`);
} finally {
  await client.shutdown();
}
