import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomInt, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { createServiceApp } from '@ecom/bootstrap';
import { readEnv } from '@ecom/config';
import { createEnvelope, Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventProducer } from '@ecom/kafka';
import { bearerFor, waitFor } from '@ecom/testing';
import { analyticsService } from '../src/app/analytics.service';
import { FactsRepository } from '../src/app/facts/facts.repository';
import { daysInMonth, daysInYear, utcDay, yearOf } from '../src/app/facts/time-buckets';
import { RollupsRepository } from '../src/app/rollups/rollups.repository';

// rollups of closed days, fed by real events through kafka into cassandra. this run writes into about
// three months of its own between 1990 and 2010, so every event is late: it marks its day dirty, and
// a day's rollup is only stored once it was read more than the clock skew after that mark. the skew
// allowed here is a second, so that happens within the test.

type Summary = {
  usersRegistered: number;
  orders: Record<'placed' | 'confirmed' | 'rejected' | 'cancelled', number>;
  revenue: { currency: string; amount: number }[];
  topProducts: { productId: string; quantity: number }[];
};

const DAY = 86_400_000;
const SKEW_MS = 1_000;

describe('analytics-service rollups (real kafka, cassandra)', () => {
  let app: NestFastifyApplication;
  let admin: string;
  const run = randomUUID().slice(0, 8);
  // the first day of a month: the one before it is partly in the window, it and the next one wholly
  const year = randomInt(1990, 2010);
  const month = randomInt(1, 11);
  const M = Date.UTC(year, month, 1);
  const M2 = Date.UTC(year, month + 1, 1);
  const M3 = Date.UTC(year, month + 2, 1);
  const from = M - 9 * DAY + 10 * 3_600_000;
  const to = M3 + 4 * DAY + 15 * 3_600_000;
  const window = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
  const p = (n: number) => `p${n}-${run}`;
  // a day inside the first whole month: rolled up by day and by month before the late events come
  const late = M + 12 * DAY;

  const placed = (order: string, at: number): EventEnvelope<EventsMap['order.placed']> => ({
    ...createEnvelope(
      Topics.OrderPlaced,
      { orderId: `${order}-${run}`, userId: `u-${run}`, lines: [{ productId: p(0), quantity: 1 }] },
      { key: `${order}-${run}` },
    ),
    occurredAt: new Date(at).toISOString(),
  });
  const confirmed = (
    order: string,
    at: number,
    product: number,
    quantity: number,
    amount: number,
  ): EventEnvelope<EventsMap['order.confirmed']> => ({
    ...createEnvelope(
      Topics.OrderConfirmed,
      {
        orderId: `${order}-${run}`,
        userId: `u-${run}`,
        lines: [{ productId: p(product), quantity, unitPrice: { amount, currency: 'EUR' } }],
        total: { amount: quantity * amount, currency: 'EUR' },
      },
      { key: `${order}-${run}` },
    ),
    occurredAt: new Date(at).toISOString(),
  });
  const send = (...events: [typeof Topics.OrderPlaced | typeof Topics.OrderConfirmed, EventEnvelope][]) =>
    app.get(EventProducer).sendBatch(events.map(([topic, envelope]) => ({ topic, envelope })));

  const summary = async (query = window): Promise<Summary> => {
    const res = await app.inject({ method: 'GET', url: `/api/analytics/summary?${query}`, headers: { authorization: admin } });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const totalsOf = (s: Summary) => ({
    orders: s.orders,
    eur: s.revenue.find((r) => r.currency === 'EUR')?.amount ?? 0,
    products: Object.fromEntries(s.topProducts.map((x) => [x.productId, x.quantity])),
  });
  const storedMonth = async (monthStart: number) =>
    (await app.get(RollupsRepository).months(utcDay(monthStart), utcDay(monthStart))).get(utcDay(monthStart));
  /**
   * waits, asking summaries (they compute and store rollups), until the month's stored rollup covers
   * every day of it, each read more than the skew after its last dirty mark: the rollup summaries use
   */
  const rolledUp = (monthStart: number) =>
    waitFor(
      `a trusted rollup of ${utcDay(monthStart)}`,
      async () => {
        await summary();
        const [stored, dirty] = await Promise.all([
          storedMonth(monthStart),
          app.get(FactsRepository).dirtyDays(yearOf(utcDay(monthStart))),
        ]);
        return (
          stored !== undefined &&
          stored.readFrom.size === daysInMonth(utcDay(monthStart)) &&
          [...stored.readFrom].every(([day, readFrom]) => readFrom > (dirty.get(day) ?? -Infinity) + SKEW_MS) &&
          stored
        );
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

  // one placed and one confirmed order every third day from before the window to after it, at 06:00
  const orders = Array.from({ length: Math.floor((to - from) / DAY / 3) + 4 }, (_, i) => {
    const at = from - 2 * DAY + i * 3 * DAY - 4 * 3_600_000;
    const o = { product: i % 6, quantity: 1 + (i % 3), amount: 100 + i };
    return { ...o, at, placed: placed(`o${i}`, at), confirmed: confirmed(`o${i}`, at + 60_000, o.product, o.quantity, o.amount) };
  });
  const expected = { placed: 0, confirmed: 0, eur: 0, products: {} as Record<string, number> };
  for (const o of orders.filter((x) => x.at >= from && x.at < to)) {
    expected.placed++;
    expected.confirmed++;
    expected.eur += o.quantity * o.amount;
    expected.products[p(o.product)] = (expected.products[p(o.product)] ?? 0) + o.quantity;
  }

  beforeAll(async () => {
    app = await createServiceApp(analyticsService, { env: { ...readEnv(), ANALYTICS_MAX_CLOCK_SKEW_MS: String(SKEW_MS) } });
    admin = await bearerFor('admin');
    await send(
      ...orders.flatMap((o): [typeof Topics.OrderPlaced | typeof Topics.OrderConfirmed, EventEnvelope][] => [
        [Topics.OrderPlaced, o.placed],
        [Topics.OrderConfirmed, o.confirmed],
      ]),
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers a long window as the sum of its parts, before and after its months are rolled up', async () => {
    const want = { orders: { placed: expected.placed, confirmed: expected.confirmed, rejected: 0, cancelled: 0 }, eur: expected.eur };
    await waitFor(
      'every order in the summary',
      async () => JSON.stringify((({ orders, eur }) => ({ orders, eur }))(totalsOf(await summary()))) === JSON.stringify(want),
      {
        timeoutMs: 90_000,
        intervalMs: 500,
      },
    );
    await rolledUp(M);
    await rolledUp(M2);
    const whole = totalsOf(await summary());
    expect(whole).toEqual({ ...want, products: expected.products });
    // parts cut inside days, at a month's first instant and across the month boundaries
    const cuts = [from, M - 3 * DAY + 7 * 3_600_000, M, M + 17 * DAY + 61_000, M2 + 2 * DAY, M3 - 1, to];
    const parts = await Promise.all(
      cuts.slice(1).map((end, i) => summary(`from=${new Date(cuts[i]).toISOString()}&to=${new Date(end).toISOString()}`)),
    );
    const sum = { placed: 0, confirmed: 0, eur: 0, products: {} as Record<string, number> };
    for (const part of parts.map(totalsOf)) {
      sum.placed += part.orders.placed;
      sum.confirmed += part.orders.confirmed;
      sum.eur += part.eur;
      for (const [id, q] of Object.entries(part.products)) sum.products[id] = (sum.products[id] ?? 0) + q;
    }
    expect(sum).toEqual({ placed: whole.orders.placed, confirmed: whole.orders.confirmed, eur: whole.eur, products: whole.products });
    // a daily series over the window, from the day rollups where they are trusted
    const res = await app.inject({
      method: 'GET',
      url: `/api/analytics/timeseries?metric=revenue&interval=day&${window}`,
      headers: { authorization: admin },
    });
    const points: { at: string; value: number }[] = res.json().points;
    const byDay = new Map<number, number>();
    for (const o of orders)
      byDay.set(Math.floor((o.at + 60_000) / DAY) * DAY, (byDay.get(Math.floor((o.at + 60_000) / DAY) * DAY) ?? 0) + o.quantity * o.amount);
    expect(points.map((pt) => pt.value)).toEqual(points.map((pt) => byDay.get(Date.parse(pt.at)) ?? 0));
  });

  it('shows a late event for a day already rolled up in the next summary, and in the rollup computed after it', async () => {
    await rolledUp(M);
    const before = totalsOf(await summary());
    const sentAt = Date.now();
    await send([Topics.OrderPlaced, placed('late', late)], [Topics.OrderConfirmed, confirmed('late', late + 60_000, 7, 2, 333)]);
    // the consumer marks the day dirty after writing the facts: the next summaries read it from its facts
    await waitFor(
      'the late day marked dirty',
      async () => ((await app.get(FactsRepository).dirtyDays(yearOf(utcDay(late)))).get(utcDay(late)) ?? 0) >= sentAt,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const want = {
      orders: { ...before.orders, placed: before.orders.placed + 1, confirmed: before.orders.confirmed + 1 },
      eur: before.eur + 666,
      products: { ...before.products, [p(7)]: 2 },
    };
    await waitFor('the late order in the summary', async () => JSON.stringify(totalsOf(await summary())) === JSON.stringify(want), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    // then the month's rollup is computed again, past the mark, and holds it
    expect((await rolledUp(M)).readFrom.get(utcDay(late))).toBeGreaterThan(sentAt);
    expect(totalsOf(await summary())).toEqual(want);
  });

  it('counts a redelivered event for a rolled-up day once', async () => {
    await rolledUp(M);
    const before = totalsOf(await summary());
    const again = orders.find((o) => o.at >= M && o.at < M2);
    if (!again) throw new Error('no order in the first whole month');
    const sentAt = Date.now();
    // the same envelope again, then a new event with the same key (same partition): once the new one
    // shows, the duplicate was handled
    await send(
      [Topics.OrderConfirmed, again.confirmed],
      [Topics.OrderConfirmed, { ...confirmed('after', again.at + 120_000, 8, 1, 5), key: again.confirmed.key }],
    );
    const want = {
      orders: { ...before.orders, confirmed: before.orders.confirmed + 1 },
      eur: before.eur + 5,
      products: { ...before.products, [p(8)]: 1 },
    };
    await waitFor('the event after the duplicate', async () => totalsOf(await summary()).products[p(8)] === 1, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(totalsOf(await summary())).toEqual(want);
    expect((await rolledUp(M)).readFrom.get(utcDay(again.at))).toBeGreaterThan(sentAt);
    expect(totalsOf(await summary())).toEqual(want);
  });

  it('answers its whole calendar year from one stored row, as the sum of its parts, with a late event at once', async () => {
    const [Y, Y2] = [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)];
    const between = (a: number, b: number) => `from=${new Date(a).toISOString()}&to=${new Date(b).toISOString()}`;
    const trustedYear = () =>
      waitFor(
        `a trusted rollup of ${year}`,
        async () => {
          await summary(between(Y, Y2));
          const [stored, dirty] = await Promise.all([app.get(RollupsRepository).year(year), app.get(FactsRepository).dirtyDays(year)]);
          return (
            stored !== undefined &&
            stored.readFrom.size === daysInYear(year) &&
            [...stored.readFrom].every(([day, readFrom]) => readFrom > (dirty.get(day) ?? -Infinity) + SKEW_MS) &&
            stored
          );
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
    // the parts, read from the rollups the year is not: before the window of the tests above, the window
    // and after it, up to the year's end (the window may reach into the next year)
    const cuts = [Y, from, Math.min(to, Y2), Y2].filter((c, i, all) => i === 0 || c > all[i - 1]);
    const parts = async () => {
      const sum = { placed: 0, confirmed: 0, eur: 0, products: {} as Record<string, number> };
      const read = await Promise.all(cuts.slice(1).map((end, i) => summary(between(cuts[i], end))));
      for (const part of read.map(totalsOf)) {
        sum.placed += part.orders.placed;
        sum.confirmed += part.orders.confirmed;
        sum.eur += part.eur;
        for (const [id, q] of Object.entries(part.products)) sum.products[id] = (sum.products[id] ?? 0) + q;
      }
      return sum;
    };
    const whole = async () => {
      const t = totalsOf(await summary(between(Y, Y2)));
      return { placed: t.orders.placed, confirmed: t.orders.confirmed, eur: t.eur, products: t.products };
    };

    await waitFor(
      'every order of the year in its summary',
      async () => (await whole()).placed >= orders.filter((o) => o.at >= Y && o.at < Y2).length,
      {
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    );
    const stored = await trustedYear();
    expect(stored.report.topProducts.length).toBeGreaterThan(0);
    const before = await parts();
    expect(await whole()).toEqual(before);

    // a late event in a month of the year outside the window above: the stored year no longer holds it
    // 03:00 on new year's day: the window above starts in late january at the earliest
    const lateInYear = Y + 3 * 3_600_000;
    const sentAt = Date.now();
    await send(
      [Topics.OrderPlaced, placed('late-y', lateInYear)],
      [Topics.OrderConfirmed, confirmed('late-y', lateInYear + 60_000, 9, 3, 10)],
    );
    const want = {
      ...before,
      placed: before.placed + 1,
      confirmed: before.confirmed + 1,
      eur: before.eur + 30,
      products: { ...before.products, [p(9)]: 3 },
    };
    await waitFor('the late order in the year', async () => isDeepStrictEqual(await whole(), want), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    expect((await trustedYear()).readFrom.get(utcDay(lateInYear))).toBeGreaterThan(sentAt);
    expect(await whole()).toEqual(want);
    expect(await parts()).toEqual(want);
  });
});
