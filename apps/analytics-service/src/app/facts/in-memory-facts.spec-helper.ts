import { RollupPolicy } from '../rollups/rollup-policy';
import type { EventFacts } from './event-facts';
import type { FactsRepository, Totals } from './facts.repository';
import { yearOf, type DaySlice } from './time-buckets';

/** FactsRepository's reads over rows kept in memory, with the same keys, for service tests */
export class InMemoryFacts implements Pick<
  FactsRepository,
  'record' | 'totals' | 'totalsPerMinute' | 'productQuantities' | 'currencies' | 'dirtyDays'
> {
  private readonly series = new Map<string, { series: string; day: string; at: number; value: number }>();
  private readonly sales = new Map<string, { day: string; productId: string; at: number; quantity: number }>();
  private readonly currencySet = new Set<string>();
  private readonly dirty = new Map<string, number>();
  /** the recording instance's clock, read once the facts are written */
  clock = () => Date.now();
  /** the days whose partitions were read, one entry per query */
  readonly daysRead: string[] = [];
  /** the years whose dirty marks were read, in order */
  readonly dirtyYearsRead: number[] = [];
  /** called after each read of a partition, before it answers: a test's way into a race */
  afterRead: (slice: DaySlice) => Promise<void> = async () => undefined;

  constructor(private readonly policy = new RollupPolicy(60_000)) {}

  async record(f: EventFacts): Promise<void> {
    const at = f.bucket.minute.getTime();
    for (const s of f.series) this.series.set(`${s.series}|${f.bucket.day}|${at}|${f.eventId}`, { ...s, day: f.bucket.day, at });
    for (const p of f.products) this.sales.set(`${f.bucket.day}|${p.productId}|${at}|${f.eventId}`, { ...p, day: f.bucket.day, at });
    f.currencies.forEach((c) => this.currencySet.add(c));
    const now = this.clock();
    if (this.policy.mayBeRolledUp(f.bucket.day, now)) this.dirty.set(f.bucket.day, Math.max(this.dirty.get(f.bucket.day) ?? now, now));
  }

  private async rows(series: string, slice: DaySlice) {
    const rows = [...this.series.values()].filter(
      (r) => r.series === series && r.day === slice.day && r.at >= slice.start && r.at < slice.end,
    );
    await this.read(slice);
    return rows;
  }

  private async read(slice: DaySlice) {
    this.daysRead.push(slice.day);
    await this.afterRead(slice);
  }

  async totals(series: string, slice: DaySlice): Promise<Totals> {
    const rows = await this.rows(series, slice);
    return { count: rows.length, sum: rows.reduce((s, r) => s + r.value, 0) };
  }

  async totalsPerMinute(series: string, slice: DaySlice): Promise<(Totals & { at: number })[]> {
    const byMinute = new Map<number, Totals>();
    for (const r of await this.rows(series, slice)) {
      const t = byMinute.get(r.at) ?? { count: 0, sum: 0 };
      byMinute.set(r.at, { count: t.count + 1, sum: t.sum + r.value });
    }
    return [...byMinute].map(([at, t]) => ({ at, ...t }));
  }

  async productQuantities(slice: DaySlice): Promise<Map<string, number>> {
    const q = new Map<string, number>();
    for (const r of this.sales.values()) {
      if (r.day === slice.day && r.at >= slice.start && r.at < slice.end) q.set(r.productId, (q.get(r.productId) ?? 0) + r.quantity);
    }
    await this.read(slice);
    return q;
  }

  async currencies(): Promise<string[]> {
    return [...this.currencySet];
  }

  async dirtyDays(year: number): Promise<Map<string, number>> {
    this.dirtyYearsRead.push(year);
    return new Map([...this.dirty].filter(([day]) => yearOf(day) === year));
  }
}
