import { createEnvelope, Topics } from '@ecom/events';
import { factsOf, revenueSeries, Series, type EventFacts } from '../facts/event-facts';
import type { FactsRepository } from '../facts/facts.repository';
import { InMemoryFacts } from '../facts/in-memory-facts.spec-helper';
import { daySlices } from '../facts/time-buckets';
import { inMemoryRollupsService, InMemoryRollups } from './in-memory-rollups.spec-helper';
import { readFacts } from './read-facts';
import { addRollups } from './rollup';
import { RollupPolicy } from './rollup-policy';
import type { RollupsService } from './rollups.service';
import { topProducts } from './top-products';

const S = 60_000;
const MINUTE = 60_000;
const DAY = 86_400_000;
const t = (iso: string) => Date.parse(iso);
const SERIES = [Series.OrdersPlaced, Series.OrdersConfirmed, revenueSeries('EUR')];

// one placed and confirmed order, its facts
function order(id: string, at: number, product: string, quantity: number, amount: number): EventFacts[] {
  const occurredAt = new Date(at).toISOString();
  const lines = [{ productId: product, quantity, unitPrice: { amount, currency: 'EUR' } }];
  return [
    factsOf(Topics.OrderPlaced, { ...createEnvelope(Topics.OrderPlaced, { orderId: id, userId: 'u', lines }, { key: id }), occurredAt }),
    factsOf(Topics.OrderConfirmed, {
      ...createEnvelope(
        Topics.OrderConfirmed,
        { orderId: id, userId: 'u', lines, total: { amount: quantity * amount, currency: 'EUR' } },
        { key: id },
      ),
      occurredAt,
    }),
  ];
}

describe('RollupsService', () => {
  let facts: InMemoryFacts;
  let stored: InMemoryRollups;
  let rollups: RollupsService;
  let orders: { when: number; facts: EventFacts[] }[];
  const sum = (from: string, to: string, now: number) => rollups.sum(daySlices(t(from), t(to)), SERIES, now);
  // what the facts alone say: the summary as it was before rollups
  const reference = async (from: string, to: string) => addRollups(await readFacts(facts, daySlices(t(from), t(to)), SERIES, 4));
  /** records facts with the recording instance's clock at `clock` */
  const record = async (clock: number, ...fs: EventFacts[]) => {
    facts.clock = () => clock;
    for (const f of fs) await facts.record(f);
  };
  const late = (clock: number, id: string, at: string) => record(clock, ...order(id, t(at), 'late', 7, 1_000));

  // from 2025-01-20 to 2025-04-10, none to four orders a day, each recorded on time (a second after it)
  beforeEach(async () => {
    facts = new InMemoryFacts(new RollupPolicy(S));
    stored = new InMemoryRollups();
    rollups = inMemoryRollupsService(facts, stored, new RollupPolicy(S));
    orders = [];
    for (let d = 0, at = t('2025-01-20T00:00:00Z'); at < t('2025-04-10T00:00:00Z'); d++, at += DAY)
      for (let k = 0; k < d % 5; k++) {
        const when = at + k * 5 * 3_600_000 + 7 * MINUTE;
        orders.push({ when, facts: order(`o${d}-${k}`, when, `p${(d + k) % 6}`, 1 + (k % 3), 100 + d) });
      }
    for (const o of orders) await record(o.when + 1_000, ...o.facts);
    facts.daysRead.length = 0;
  });

  const WINDOWS = [
    ['2025-01-25T10:17:00Z', '2025-04-05T07:00:00Z'],
    ['2025-02-01T00:00:00Z', '2025-04-01T00:00:00Z'],
    ['2025-02-01T00:00:00Z', '2025-02-02T00:00:00Z'],
    ['2025-02-27T23:59:00Z', '2025-03-01T00:01:00Z'],
    ['2025-03-15T05:00:00Z', '2025-03-15T06:00:00Z'],
    ['2025-01-01T00:00:00Z', '2025-06-01T00:00:00Z'],
  ] as const;

  it('adds up any window as the facts do, computing the rollups, then from them', async () => {
    const now = t('2025-06-01T00:00:00Z');
    for (const [from, to] of WINDOWS) expect([from, to, await sum(from, to, now)]).toEqual([from, to, await reference(from, to)]);
    // may is not: its last day ended less than ten minutes before `now`
    expect([...stored.byMonth.keys()].sort()).toEqual(['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01']);
    for (const [from, to] of WINDOWS) expect([from, to, await sum(from, to, now + DAY)]).toEqual([from, to, await reference(from, to)]);
  });

  it('reads closed days from rollups once they are stored: a whole month from one row, the others by day', async () => {
    const now = t('2025-06-01T00:00:00Z');
    const [from, to] = WINDOWS[0];
    await sum(from, to, now);
    const want = await reference(from, to);
    facts.daysRead.length = 0;
    stored.daysRead.length = 0;
    expect(await sum(from, to, now + MINUTE)).toEqual(want);
    expect(new Set(facts.daysRead)).toEqual(new Set(['2025-01-25', '2025-04-05']));
    expect(stored.daysRead).toEqual(['2025-01-26..2025-01-31', '2025-04-01..2025-04-04']);
  });

  it('rolls up closed days only: today and a day that ended less than ten minutes ago come from the facts', async () => {
    const now = t('2025-04-09T00:05:00Z');
    expect(await sum('2025-04-07T00:00:00Z', '2025-04-09T00:05:00Z', now)).toEqual(
      await reference('2025-04-07T00:00:00Z', '2025-04-09T00:05:00Z'),
    );
    expect([...stored.byDay.keys()]).toEqual(['2025-04-07']);
  });

  it('shows a late fact for a rolled-up day at once, reads the day from its facts for the clock skew, then rolls it up again', async () => {
    const [from, to] = WINDOWS[0];
    const rolledUp = t('2025-06-01T00:00:00Z');
    await sum(from, to, rolledUp);
    const lateAt = rolledUp + 3_600_000;
    await late(lateAt, 'late-1', '2025-02-10T12:00:00Z');
    const want = await reference(from, to);
    expect(want.products.get('late')).toBe(7);

    facts.daysRead.length = 0;
    expect(await sum(from, to, lateAt + 1_000)).toEqual(want);
    expect(facts.daysRead).toContain('2025-02-10');
    // not stored while the mark is younger than the skew: the rollups stay as they were
    expect(stored.byDay.get('2025-02-10')?.readFrom.get('2025-02-10')).toBe(rolledUp);
    expect(stored.byMonth.get('2025-02-01')?.readFrom.get('2025-02-10')).toBe(rolledUp);

    expect(await sum(from, to, lateAt + S + 1)).toEqual(want);
    expect(stored.byDay.get('2025-02-10')?.readFrom.get('2025-02-10')).toBe(lateAt + S + 1);
    expect(stored.byMonth.get('2025-02-01')?.readFrom.get('2025-02-10')).toBe(lateAt + S + 1);

    facts.daysRead.length = 0;
    expect(await sum(from, to, lateAt + 2 * S)).toEqual(want);
    expect(facts.daysRead.filter((d) => d !== '2025-01-25' && d !== '2025-04-05')).toEqual([]);
  });

  it('never keeps using a rollup that missed a fact written while it was read, with the writer clock up to the skew behind', async () => {
    const [from, to] = WINDOWS[0];
    const reader = t('2025-06-01T00:00:00Z');
    let raced = false;
    // the first read of 2025-02-10 has answered; before the next, a late event for that day is recorded
    facts.afterRead = async (slice) => {
      if (slice.day !== '2025-02-10' || raced) return;
      raced = true;
      await late(reader - S, 'late-2', '2025-02-10T12:00:00Z');
    };
    const during = await sum(from, to, reader);
    facts.afterRead = async () => undefined;
    const want = await reference(from, to);
    // the race happened: the rollup stored then lacks some of the late order
    expect(raced).toBe(true);
    expect(stored.byDay.get('2025-02-10')?.readFrom.get('2025-02-10')).toBe(reader);
    expect(during).not.toEqual(want);
    // and it is not used again: any later summary has the late order
    expect(await sum(from, to, reader + 1)).toEqual(want);
    expect(await sum(from, to, reader + DAY)).toEqual(want);
    expect(await sum(from, to, reader + 2 * DAY)).toEqual(want);
  });

  it('counts a fact recorded again after its day was rolled up once', async () => {
    const [from, to] = WINDOWS[1];
    const rolledUp = t('2025-06-01T00:00:00Z');
    const once = await sum(from, to, rolledUp);
    const again = orders.find((o) => o.when >= t('2025-03-11T00:00:00Z'));
    if (!again) throw new Error('no order from 2025-03-11 on');
    const day = again.facts[0].bucket.day;
    // the same event ids, redelivered: the rows are rewritten and the day marked
    await record(rolledUp + 1_000, ...again.facts);
    expect((await facts.dirtyDays(2025)).get(day)).toBe(rolledUp + 1_000);
    expect(await sum(from, to, rolledUp + 2_000)).toEqual(once);
    expect(await sum(from, to, rolledUp + 1_000 + S + 1)).toEqual(once);
    expect(stored.byDay.get(day)?.readFrom.get(day)).toBe(rolledUp + 1_000 + S + 1);
  });

  describe('a whole calendar year', () => {
    const [from, to] = ['2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'];
    const report = (now: number) => rollups.report(daySlices(t(from), t(to)), SERIES, now);
    const want = async () => {
      const { totals, products } = await reference(from, to);
      return { totals, topProducts: topProducts(products) };
    };
    // its last day closes ten minutes after the year ends
    const closed = t('2026-01-01T00:10:00Z');

    it('is one stored row once all its days are closed: its totals and top products, as the facts say', async () => {
      const expected = await want();
      expect(await report(closed - 1)).toEqual(expected);
      expect(stored.byYear.size).toBe(0);
      facts.dirtyYearsRead.length = 0;
      expect(await report(closed)).toEqual(expected);
      expect([...stored.byYear.keys()]).toEqual([2025]);
      // the year's dirty marks, read once to check a stored year, serve the months and days too
      expect(facts.dirtyYearsRead).toEqual([2025]);
      facts.daysRead.length = 0;
      stored.daysRead.length = 0;
      stored.monthsRead.length = 0;
      expect(await report(closed + MINUTE)).toEqual(expected);
      expect({ facts: facts.daysRead, days: stored.daysRead, months: stored.monthsRead }).toEqual({ facts: [], days: [], months: [] });
    });

    it('is not stored for a window that is not a calendar year', async () => {
      await rollups.report(daySlices(t('2025-01-01T00:00:00Z'), t('2025-12-31T00:00:00Z')), SERIES, closed);
      await rollups.report(daySlices(t('2024-12-31T00:00:00Z'), t('2026-01-01T00:00:00Z')), SERIES, closed);
      expect(stored.byYear.size).toBe(0);
      expect(stored.byMonth.size).toBeGreaterThan(0);
    });

    it('shows a late fact at once, is read from its months and days for the clock skew, then stored again', async () => {
      const rolledUp = t('2026-02-01T00:00:00Z');
      await report(rolledUp);
      const lateAt = rolledUp + 3_600_000;
      await late(lateAt, 'late-y', '2025-02-10T12:00:00Z');
      const expected = await want();
      expect(expected.topProducts).toContainEqual({ productId: 'late', quantity: 7 });

      expect(await report(lateAt + 1_000)).toEqual(expected);
      expect(stored.byYear.get(2025)?.readFrom.get('2025-02-10')).toBe(rolledUp);
      expect(await report(lateAt + S + 1)).toEqual(expected);
      expect(stored.byYear.get(2025)?.readFrom.get('2025-02-10')).toBe(lateAt + S + 1);
      expect(stored.byYear.get(2025)?.report).toEqual(expected);
    });

    it('is never used again once stored from a read that missed a fact', async () => {
      const reader = t('2026-02-01T00:00:00Z');
      let raced = false;
      facts.afterRead = async (slice) => {
        if (slice.day !== '2025-02-10' || raced) return;
        raced = true;
        await late(reader - S, 'late-z', '2025-02-10T12:00:00Z');
      };
      const during = await report(reader);
      facts.afterRead = async () => undefined;
      const expected = await want();
      expect(raced).toBe(true);
      expect(stored.byYear.get(2025)?.readFrom.get('2025-02-10')).toBe(reader);
      expect(during).not.toEqual(expected);
      expect(await report(reader + 1)).toEqual(expected);
      expect(await report(reader + DAY)).toEqual(expected);
    });
  });

  it('gives daily totals of a series from trusted rollups only', async () => {
    const days = daySlices(t('2025-02-08T00:00:00Z'), t('2025-02-12T00:00:00Z'));
    const rolledUp = t('2025-06-01T00:00:00Z');
    expect(await rollups.trustedDayTotals(days, Series.OrdersPlaced, rolledUp)).toEqual(new Map());
    await rollups.sum(days, SERIES, rolledUp);
    await late(rolledUp + 1_000, 'late-3', '2025-02-10T12:00:00Z');
    const totals = await rollups.trustedDayTotals(days, Series.OrdersPlaced, rolledUp + 2_000);
    const placed = async (day: string) =>
      (await (facts as unknown as FactsRepository).totals(Series.OrdersPlaced, daySlices(t(day), t(day) + DAY)[0])).count;
    expect([...totals.keys()]).toEqual(['2025-02-08', '2025-02-09', '2025-02-11']);
    for (const [day, { count }] of totals) expect([day, count]).toEqual([day, await placed(`${day}T00:00:00Z`)]);
  });
});
