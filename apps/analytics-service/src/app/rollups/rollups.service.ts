import { Injectable } from '@nestjs/common';
import { FactsRepository, type Totals } from '../facts/facts.repository';
import { daysInMonth, daysInYear, monthOf, yearOf, type DaySlice } from '../facts/time-buckets';
import { mapLimit } from '../reporting/map-limit';
import { readFacts } from './read-facts';
import { addRollups, type Report, type Rollup, type StoredRollup } from './rollup';
import { RollupPolicy } from './rollup-policy';
import { RollupsRepository } from './rollups.repository';
import { topProducts } from './top-products';

/** cassandra reads in flight per report: one per partition */
const READS_IN_FLIGHT = 16;

/** closed days of one month, in order; `whole` when they are all its days */
interface MonthOfDays {
  readonly month: string;
  readonly days: readonly DaySlice[];
  readonly whole: boolean;
}

function byMonth(days: readonly DaySlice[]): MonthOfDays[] {
  const months = new Map<string, DaySlice[]>();
  for (const d of days) months.set(monthOf(d.day), [...(months.get(monthOf(d.day)) ?? []), d]);
  return [...months].map(([month, ds]) => ({ month, days: ds, whole: ds.length === daysInMonth(month) }));
}

/** the calendar year the slices are, every day of it whole, in order; otherwise undefined */
function wholeYear(slices: readonly DaySlice[]): number | undefined {
  const year = slices.length > 0 ? yearOf(slices[0].day) : undefined;
  if (year === undefined || slices.length !== daysInYear(year) || slices[0].day !== `${year}-01-01`) return undefined;
  return slices.every((s) => s.whole && yearOf(s.day) === year) ? year : undefined;
}

/** [first, last] of sorted keys, one range per partition key */
function ranges(keys: readonly string[], partitionOf: (key: string) => string | number): [string, string][] {
  const parts = new Map<string | number, [string, string]>();
  for (const k of keys) parts.set(partitionOf(k), [parts.get(partitionOf(k))?.[0] ?? k, k]);
  return [...parts.values()];
}

/**
 * adds up windows from rollups of closed days where it can, and from the facts otherwise (tables and
 * the argument for when a rollup can be trusted: analytics.schema.ts)
 */
@Injectable()
export class RollupsService {
  constructor(
    private readonly facts: FactsRepository,
    private readonly rollups: RollupsRepository,
    private readonly policy: RollupPolicy,
  ) {}

  /**
   * what the slices add up to over the given series, as the facts would say. closed days come from
   * rollups, computed and stored on the way when missing or no longer trusted; the rest from the facts.
   * `now` is the clock before any read: it is when the rollups computed here were read from.
   */
  async sum(slices: readonly DaySlice[], series: readonly string[], now: number): Promise<Rollup> {
    const closed = slices.filter((s) => this.policy.closed(s, now));
    const open = slices.filter((s) => !this.policy.closed(s, now));
    const rolledUp = await this.closedDays(closed, series, now);
    return addRollups([rolledUp.rollup, ...(await readFacts(this.facts, open, series, READS_IN_FLIGHT))]);
  }

  /**
   * what the slices add up to, as `sum` says, with only the products sold most. a whole calendar year
   * of closed days is one stored row once computed: its totals and its top products, whatever the
   * year's catalog, where `sum` merges every product of its twelve months. it is used, like any
   * rollup, only if every day of it was read after its last dirty mark; otherwise the year is added up
   * again from its months and days, and stored again if that can be trusted
   */
  async report(slices: readonly DaySlice[], series: readonly string[], now: number): Promise<Report> {
    const year = wholeYear(slices);
    if (year === undefined || !slices.every((s) => this.policy.closed(s, now))) {
      const { totals, products } = await this.sum(slices, series, now);
      return { totals, topProducts: topProducts(products) };
    }
    const [dirty, stored] = await Promise.all([this.dirtyDays(slices), this.rollups.year(year)]);
    if (stored && this.trusted(stored.readFrom, slices, dirty)) return stored.report;
    const { rollup, readFrom } = await this.closedDays(slices, series, now, dirty);
    const report = { totals: rollup.totals, topProducts: topProducts(rollup.products) };
    if (this.trusted(readFrom, slices, dirty)) await this.rollups.saveYear(year, { report, readFrom });
    return report;
  }

  /**
   * count and sum of one series on each closed day among the slices whose stored rollup is trusted.
   * reads only, and no products: what a daily time series can take instead of one query per day
   */
  async trustedDayTotals(slices: readonly DaySlice[], series: string, now: number): Promise<Map<string, Totals>> {
    const days = slices.filter((s) => this.policy.closed(s, now));
    const [dirty, stored] = await Promise.all([this.dirtyDays(days), this.storedDays(days, false)]);
    const totals = new Map<string, Totals>();
    for (const d of days) {
      const s = stored.get(d.day);
      if (s && this.trusted(s.readFrom, [d], dirty)) totals.set(d.day, s.rollup.totals.get(series) ?? { count: 0, sum: 0 });
    }
    return totals;
  }

  /** the closed days added up, with when each day's facts were read; `known`: their dirty marks, if just read */
  private async closedDays(
    days: readonly DaySlice[],
    series: readonly string[],
    now: number,
    known?: ReadonlyMap<string, number>,
  ): Promise<StoredRollup> {
    if (days.length === 0) return { rollup: addRollups([]), readFrom: new Map() };
    const months = byMonth(days);
    const [dirty, storedMonths] = await Promise.all([
      known ?? this.dirtyDays(days),
      this.storedMonths(months.filter((m) => m.whole).map((m) => m.month)),
    ]);
    const fromMonths = new Map<string, StoredRollup>();
    for (const m of months) {
      const s = storedMonths.get(m.month);
      if (m.whole && s && this.trusted(s.readFrom, m.days, dirty)) fromMonths.set(m.month, s);
    }
    const byDay = months.filter((m) => !fromMonths.has(m.month));
    const dayRollups = await this.dayRollups(
      byDay.flatMap((m) => m.days),
      series,
      dirty,
      now,
    );
    // a whole month added up from its days is stored as one row, if every day of it can be trusted
    const composed = byDay
      .filter((m) => m.whole)
      .map((m) => {
        const parts = m.days.map((d) => dayRollups.get(d.day) ?? { rollup: addRollups([]), readFrom: new Map<string, number>() });
        return { m, stored: { rollup: addRollups(parts.map((p) => p.rollup)), readFrom: new Map(parts.flatMap((p) => [...p.readFrom])) } };
      });
    await mapLimit(
      composed.filter(({ m, stored }) => this.trusted(stored.readFrom, m.days, dirty)),
      READS_IN_FLIGHT,
      ({ m, stored }) => this.rollups.saveMonth(m.month, stored),
    );
    const parts = [...fromMonths.values(), ...dayRollups.values()];
    return { rollup: addRollups(parts.map((p) => p.rollup)), readFrom: new Map(parts.flatMap((p) => [...p.readFrom])) };
  }

  /** the rollup of each day: stored if trusted, otherwise read from the facts at `now` and stored if that can be trusted */
  private async dayRollups(
    days: readonly DaySlice[],
    series: readonly string[],
    dirty: ReadonlyMap<string, number>,
    now: number,
  ): Promise<Map<string, StoredRollup>> {
    const stored = await this.storedDays(days, true);
    const rollups = new Map<string, StoredRollup>();
    for (const d of days) {
      const s = stored.get(d.day);
      if (s && this.trusted(s.readFrom, [d], dirty)) rollups.set(d.day, s);
    }
    const stale = days.filter((d) => !rollups.has(d.day));
    const fresh = await readFacts(this.facts, stale, series, READS_IN_FLIGHT);
    stale.forEach((d, i) => rollups.set(d.day, { rollup: fresh[i], readFrom: new Map([[d.day, now]]) }));
    // a day marked dirty less than the clock skew ago is read from its facts until it is not
    const storable = stale.flatMap((d, i) => (this.policy.trusted(now, dirty.get(d.day)) ? [{ day: d.day, rollup: fresh[i] }] : []));
    await mapLimit(storable, READS_IN_FLIGHT, ({ day, rollup }) => this.rollups.saveDay(day, now, rollup));
    return rollups;
  }

  /** every one of the days was read after it was last marked dirty, with the clock skew to spare */
  private trusted(readFromByDay: ReadonlyMap<string, number>, days: readonly DaySlice[], dirty: ReadonlyMap<string, number>): boolean {
    return days.every((d) => {
      const readFrom = readFromByDay.get(d.day);
      return readFrom !== undefined && this.policy.trusted(readFrom, dirty.get(d.day));
    });
  }

  private async dirtyDays(days: readonly DaySlice[]): Promise<Map<string, number>> {
    const years = [...new Set(days.map((d) => yearOf(d.day)))];
    return new Map((await mapLimit(years, READS_IN_FLIGHT, (y) => this.facts.dirtyDays(y))).flatMap((m) => [...m]));
  }

  private async storedDays(days: readonly DaySlice[], withProducts: boolean): Promise<Map<string, StoredRollup>> {
    const parts = ranges(
      days.map((d) => d.day),
      monthOf,
    );
    return new Map(
      (await mapLimit(parts, READS_IN_FLIGHT, ([first, last]) => this.rollups.days(first, last, withProducts))).flatMap((m) => [...m]),
    );
  }

  private async storedMonths(months: readonly string[]): Promise<Map<string, StoredRollup>> {
    const parts = ranges(months, yearOf);
    return new Map((await mapLimit(parts, READS_IN_FLIGHT, ([first, last]) => this.rollups.months(first, last))).flatMap((m) => [...m]));
  }
}
