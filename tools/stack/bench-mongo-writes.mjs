#!/usr/bin/env node
// acknowledged-write throughput of a MongoDB-wire server: <n> single insertOne calls (default write
// concern) spread over <clients> connections, in a database of its own that is dropped afterwards.
//   node tools/stack/bench-mongo-writes.mjs [--uri mongodb://127.0.0.1:27017] [--n 5000] [--clients 8]
// prints one line: inserts, seconds, inserts per second, median and p99 latency.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';

const { values: opts } = parseArgs({
  options: {
    uri: { type: 'string', default: 'mongodb://127.0.0.1:27017' },
    n: { type: 'string', default: '5000' },
    clients: { type: 'string', default: '8' },
  },
});
const n = Number(opts.n);
const clients = Number(opts.clients);
const DB = 'stack_write_bench';

const conns = await Promise.all(
  Array.from({ length: clients }, () => new MongoClient(opts.uri, { directConnection: true, maxPoolSize: 1 }).connect()),
);
try {
  await conns[0].db(DB).dropDatabase();
  // warm up: connections, the collection and the server's code paths
  await Promise.all(conns.map((c, k) => c.db(DB).collection('warm').insertOne({ k })));
  const latencies = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    conns.map(async (c) => {
      const col = c.db(DB).collection('docs');
      for (let i = next++; i < n; i = next++) {
        const t = process.hrtime.bigint();
        await col.insertOne({ i, at: new Date(), s: 'x'.repeat(200) });
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  const count = await conns[0].db(DB).collection('docs').countDocuments();
  console.log(
    `${count} inserts with ${clients} clients in ${secs.toFixed(2)} s: ${Math.round(n / secs)}/s, median ${pct(50)} ms, p99 ${pct(99)} ms`,
  );
  await conns[0].db(DB).dropDatabase();
} finally {
  await Promise.all(conns.map((c) => c.close()));
}
