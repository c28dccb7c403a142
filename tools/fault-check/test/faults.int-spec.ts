import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { kafkaConfig, loadConfig, readEnv } from '@ecom/config';
import { stopKafkajsIdleTimer } from '@ecom/kafka';
import { bearerFor, Platform, testTopicNames } from '@ecom/testing';
import { analyticsCounts, deadLetterCount, formatRows, reconcile, type Api, type Row } from '../src/reconcile';
import { pickFaults, type Fault } from '../src/scenarios';
import { Shoppers } from '../src/shoppers';

// the fault suite: steady order traffic through the gateway while one part of the platform is
// killed with kill -9 and kept down longer than any retry budget, then every effect is counted.
// npm test runs a reduced form (FAULTS below); `npm run faults` runs every fault at full size.

const FAULTS = process.env['FAULTS'] ?? 'postgres,product-service';
const ORDERS = Number(process.env['FAULT_ORDERS'] ?? 120);
const PER_SECOND = Number(process.env['FAULT_RATE'] ?? 20);
const DOWN_SECONDS = Number(process.env['FAULT_DOWN_SECONDS'] ?? 20);
/** how long after the traffic and the fault are over every effect may take to show */
const SETTLE_MS = 60_000;
const CUSTOMERS = 10;
const PRODUCTS = 4;
const BASE_PORT = 4200;

const run = randomUUID().slice(0, 8);
const rows: Row[] = [];
const platform = new Platform(BASE_PORT);
let admin: string;
let kafka: Kafka;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** reads through the gateway, waiting out a 503 or a dropped connection like the shoppers do */
const api: Api = {
  async get<T>(path: string, token: string): Promise<T> {
    let last = '';
    for (let attempt = 0; attempt < 60; attempt++) {
      try {
        const res = await fetch(`${platform.url}${path}`, { headers: { authorization: token }, signal: AbortSignal.timeout(15_000) });
        const text = await res.text();
        if (res.ok) return JSON.parse(text) as T;
        last = `${res.status} ${text.slice(0, 200)}`;
        if (res.status !== 503) break;
      } catch (e) {
        last = (e as Error).message;
      }
      await sleep(500);
    }
    throw new Error(`GET ${path}: ${last}`);
  },
};

async function createProducts(scenario: string): Promise<{ stock: Map<string, number>; category: string }> {
  const category = `faults-${run}-${scenario}`;
  // about four in five orders can be served: both outcomes of the saga happen
  const each = Math.max(1, Math.round(((ORDERS * 2) / PRODUCTS) * 0.8));
  const stock = new Map<string, number>();
  for (let p = 0; p < PRODUCTS; p++) {
    const res = await fetch(`${platform.url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: admin },
      body: JSON.stringify({
        sku: `FAULTS-${run}-${scenario}-${p}`.toUpperCase(),
        name: `Fault tea ${p}`,
        description: 'for the fault suite',
        price: { amount: 100 + p, currency: 'EUR' },
        stock: each,
        category,
        tags: ['faults'],
      }),
    });
    if (res.status !== 201) throw new Error(`creating a product: ${res.status} ${await res.text()}`);
    stock.set(((await res.json()) as { id: string }).id, each);
  }
  return { stock, category };
}

async function scenario(fault: Fault): Promise<Row> {
  const tokens = new Map<string, string>();
  for (let c = 0; c < CUSTOMERS; c++) {
    const id = `faults-${run}-${fault.name}-${c}`;
    tokens.set(id, await bearerFor('customer', id));
  }
  const { stock, category } = await createProducts(fault.name);
  const productIds = [...stock.keys()];
  const analyticsBefore = await analyticsCounts(api, admin);
  const deadBefore = await deadLetterCount(kafka, testTopicNames());

  const shoppers = new Shoppers({
    gateway: platform.url,
    customers: tokens,
    order: (i) => [{ productId: productIds[i % PRODUCTS], quantity: (i % 3) + 1 }],
    total: ORDERS,
    perSecond: PER_SECOND,
    giveUpMs: 10 * 60_000,
  });
  let outage: Promise<number> | undefined;
  const quarter = Math.ceil(ORDERS / 4);
  await shoppers.start((sent) => {
    if (sent !== quarter) return;
    outage = (async () => {
      const killed = Date.now();
      await fault.kill(platform);
      await sleep(DOWN_SECONDS * 1000);
      await fault.heal(platform);
      return Math.round((Date.now() - killed) / 1000);
    })();
  });
  const downSeconds = await outage;
  await shoppers.settled();

  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const deadLetters = (await deadLetterCount(kafka, testTopicNames())) - deadBefore;
    const row = await reconcile({
      scenario: fault.name,
      downSeconds: downSeconds ?? 0,
      orders: shoppers.orders,
      api,
      admin,
      tokens,
      products: stock,
      category,
      analyticsBefore,
      deadLetters,
    });
    if (row.problems.length === 0 || Date.now() > deadline) return row;
    await sleep(2_000);
  }
}

describe(`the fault suite: ${ORDERS} orders at ${PER_SECOND}/s, one part killed for ${DOWN_SECONDS} s`, () => {
  beforeAll(async () => {
    // quiet: the suite kills the broker on purpose, and counts what matters itself
    const { brokers } = loadConfig([kafkaConfig('fault-check')], readEnv()).kafka;
    // a raw client, with the services' fix for kafkajs' idle timer (ADR 14), which node 24 warns about otherwise
    stopKafkajsIdleTimer();
    kafka = new Kafka({ clientId: 'fault-check', brokers, logLevel: logLevel.NOTHING });
    admin = await bearerFor('admin', `faults-admin-${run}`);
    await platform.start();
  });

  afterAll(async () => {
    await platform.stop();
    process.stdout.write(`\n${formatRows(rows)}\n\n`);
  });

  for (const fault of pickFaults(FAULTS)) {
    it(`${fault.name} killed: no order lost, doubled or stuck, every effect exactly once, no 5xx but 503`, async () => {
      const row = await scenario(fault);
      rows.push(row);
      expect(row.problems).toEqual([]);
    });
  }
});
