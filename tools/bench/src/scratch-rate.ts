import { Agent, request } from 'undici';
import { bearerFor } from '@ecom/testing';
import { createProduct } from './api';
import { Latencies, openLoop } from './load';

async function atRate(url: string, rate: number, seconds: number) {
  const agent = new Agent({ connections: 64 });
  const lat = new Latencies();
  const slow: number[] = [];
  const t0 = performance.now();
  await openLoop(rate, seconds, async () => {
    const t = performance.now();
    const res = await request(url, { dispatcher: agent });
    await res.body.dump();
    const ms = performance.now() - t;
    lat.recordMs(ms);
    if (ms > 10) slow.push(Math.round(t - t0));
  });
  await agent.close();
  return `p50 ${lat.at(50).toFixed(2)} p90 ${lat.at(90).toFixed(2)} p99 ${lat.at(99).toFixed(2)} slow>10ms ${slow.length} at ${[...new Set(slow.map((s) => Math.round(s / 100) * 100))].slice(0, 15).join(',')}`;
}
(async () => {
  const admin = await bearerFor('admin', 'scratch-admin');
  const p = await createProduct('http://127.0.0.1:8080', admin, 1, 10);
  const path = `/api/products/${p.id}`;
  await fetch(`http://127.0.0.1:3002${path}`);
  const rate = Number(process.argv[2] ?? 5000);
  for (let i = 0; i < 3; i++) {
    console.log('direct ', await atRate(`http://127.0.0.1:3002${path}`, rate, 4));
    console.log('gateway', await atRate(`http://127.0.0.1:8080${path}`, rate, 4));
  }
})();
