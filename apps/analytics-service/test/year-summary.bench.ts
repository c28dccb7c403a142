import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomInt, randomUUID } from 'node:crypto';
import { createServiceApp } from '@ecom/bootstrap';
import { readEnv } from '@ecom/config';
import { createEnvelope, Topics, type EventEnvelope } from '@ecom/events';
import { bearerFor } from '@ecom/testing';
import { analyticsService } from '../src/app/analytics.service';
import { factsOf, type RecordedTopic } from '../src/app/facts/event-facts';
import { FactsRepository } from '../src/app/facts/facts.repository';
import { mapLimit } from '../src/app/reporting/map-limit';

// how long the summary over one year takes, warm. not part of the integration run; on the local stack:
//   cd apps/analytics-service && npx jest --config jest.int.config.cts --runInBand --testMatch '<rootDir>/test/year-summary.bench.ts'
// one year of orders is seeded through the repository's own writes, in a year of its own between 1990
// and 2010, then the summary over that year is asked through http, a few times after warming up, and
// the median printed. it also checks that the answer is the seeded totals, so a fast wrong answer
// cannot pass for a fast one. BENCH_ORDERS_PER_DAY (default 300) scales the data;
// BENCH_EDGE_ORDERS_PER_DAY (default the same) scales the two partial edge days alone: once the closed
// days are rolled up, they are the only facts a warm summary reads, so they show how it grows with data.

const DAY = 86_400_000;
const DAYS = 365;
const ORDERS_PER_DAY = Number(process.env['BENCH_ORDERS_PER_DAY'] ?? 300);
const EDGE_ORDERS_PER_DAY = Number(process.env['BENCH_EDGE_ORDERS_PER_DAY'] ?? ORDERS_PER_DAY);
// every seeded event is late, so it marks its day dirty, and a rollup is only stored once it was read
// more than the clock skew after that: a short skew lets the bench wait it out
const SKEW_MS = 1_000;
const SIGNUPS_PER_DAY = 40;
const PRODUCTS = 200;
const CALLS = 9;
const WRITES_IN_FLIGHT = 64;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe(`the summary over one year, ${ORDERS_PER_DAY} orders a day, ${EDGE_ORDERS_PER_DAY} on the edge days`, () => {
  let app: NestFastifyApplication;
  let admin: string;
  const run = randomUUID().slice(0, 8);
  const start = Date.UTC(1990, 0, 1) + randomInt(0, 19 * 365) * DAY;
  // two year windows. one from 10:17: its two edge days are partial, so read by minute from the facts,
  // as a "last 365 days" would be. one of whole days: every day of it rolled up
  const windows = [
    ['partial edge days', start + 10 * 3_600_000 + 17 * 60_000],
    ['whole days', start],
  ].map(([name, from]) => ({ name: name as string, from: from as number, to: (from as number) + DAYS * DAY }));
  // what was seeded, to add up for each window
  const seeded: { at: number; series: 'usersRegistered' | 'placed' | 'confirmed' | 'rejected'; amount: number }[] = [];

  beforeAll(async () => {
    app = await createServiceApp(analyticsService, { env: { ...readEnv(), ANALYTICS_MAX_CLOCK_SKEW_MS: String(SKEW_MS) } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('seeds the year', async () => {
    const facts = app.get(FactsRepository);
    const events: [RecordedTopic, EventEnvelope][] = [];
    const at = (ms: number) => new Date(ms).toISOString();
    // the year and the day after it, so both edge days are partial
    for (let d = 0; d <= DAYS; d++) {
      const dayStart = start + d * DAY;
      for (let i = 0; i < SIGNUPS_PER_DAY; i++) {
        const ms = dayStart + randomInt(0, DAY);
        const userId = `u${d}-${i}-${run}`;
        events.push([
          Topics.UserRegistered,
          {
            ...createEnvelope(
              Topics.UserRegistered,
              { userId, email: `${userId}@example.com`, name: 'n', role: 'customer' },
              { key: userId },
            ),
            occurredAt: at(ms),
          },
        ]);
        seeded.push({ at: ms, series: 'usersRegistered', amount: 0 });
      }
      for (let i = 0; i < (d === 0 || d === DAYS ? EDGE_ORDERS_PER_DAY : ORDERS_PER_DAY); i++) {
        const ms = dayStart + randomInt(0, DAY - 60_000);
        const orderId = `o${d}-${i}-${run}`;
        const lines = Array.from({ length: randomInt(1, 4) }, () => ({
          productId: `p${randomInt(0, PRODUCTS)}-${run}`,
          quantity: randomInt(1, 4),
          unitPrice: { amount: randomInt(100, 10_000), currency: 'EUR' },
        }));
        events.push([
          Topics.OrderPlaced,
          { ...createEnvelope(Topics.OrderPlaced, { orderId, userId: 'u', lines }, { key: orderId }), occurredAt: at(ms) },
        ]);
        seeded.push({ at: ms, series: 'placed', amount: 0 });
        const outcome = ms + 30_000;
        if (i % 10 === 0) {
          events.push([
            Topics.OrderRejected,
            { ...createEnvelope(Topics.OrderRejected, { orderId, userId: 'u', reason: 'r' }, { key: orderId }), occurredAt: at(outcome) },
          ]);
          seeded.push({ at: outcome, series: 'rejected', amount: 0 });
        } else {
          const amount = lines.reduce((s, l) => s + l.quantity * l.unitPrice.amount, 0);
          events.push([
            Topics.OrderConfirmed,
            {
              ...createEnvelope(
                Topics.OrderConfirmed,
                { orderId, userId: 'u', lines, total: { amount, currency: 'EUR' } },
                { key: orderId },
              ),
              occurredAt: at(outcome),
            },
          ]);
          seeded.push({ at: outcome, series: 'confirmed', amount });
        }
      }
    }
    const began = Date.now();
    await mapLimit(events, WRITES_IN_FLIGHT, ([topic, env]) => facts.record(factsOf(topic, env as never)));
    console.log(`seeded ${events.length} events in ${((Date.now() - began) / 1000).toFixed(0)} s`);
    await new Promise((r) => setTimeout(r, 2 * SKEW_MS));
  }, 3_600_000);

  it.each(windows)(
    'answers the year summary, $name, warm',
    async ({ from, to }) => {
      // signed now: seeding may outlast a token
      admin = await bearerFor('admin');
      const expected = { usersRegistered: 0, placed: 0, confirmed: 0, rejected: 0, revenue: 0 };
      for (const e of seeded.filter((x) => x.at >= from && x.at < to)) {
        expected[e.series]++;
        expected.revenue += e.amount;
      }
      const url = `/api/analytics/summary?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
      const ask = async () => {
        const began = performance.now();
        const res = await app.inject({ method: 'GET', url, headers: { authorization: admin } });
        const ms = performance.now() - began;
        expect(res.statusCode).toBe(200);
        return { ms, body: res.json() };
      };
      const first = await ask();
      expect(first.body).toMatchObject({
        usersRegistered: expected.usersRegistered,
        orders: { placed: expected.placed, confirmed: expected.confirmed, rejected: expected.rejected, cancelled: 0 },
        revenue: [{ currency: 'EUR', amount: expected.revenue }],
      });
      await ask();
      const times: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        const { ms, body } = await ask();
        expect(body).toEqual(first.body);
        times.push(ms);
      }
      console.log(
        `year summary from ${new Date(from).toISOString()}, ${ORDERS_PER_DAY} orders/day, ${EDGE_ORDERS_PER_DAY} on the edge days: first call ${first.ms.toFixed(0)} ms; warm median of ${CALLS}: ${median(times).toFixed(0)} ms ` +
          `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
      );
    },
    600_000,
  );
});
