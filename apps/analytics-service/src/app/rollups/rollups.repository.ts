import { Inject, Injectable } from '@nestjs/common';
import { types, type Client } from 'cassandra-driver';
import { CASSANDRA, CassandraKeyspace } from '@ecom/store-cassandra';
import type { Totals } from '../facts/facts.repository';
import { monthOf, yearOf } from '../facts/time-buckets';
import { packProducts, unpackProducts } from './packed-products';
import type { Rollup, StoredReport, StoredRollup } from './rollup';

// the client's quorum, as the facts (CASSANDRA_CONSISTENCY): a mark or a rollup once acknowledged is seen by every later read
// a rollup is one row, rewritten whole: racing writes of the same one leave one of them, never a mix
const WRITE = { prepare: true, isIdempotent: true } as const;
const READ = { prepare: true, fetchSize: 5_000 } as const;

type Row = types.Row;
type Longs = Record<string, types.Long> | null;

const num = (v: types.Long | undefined): number => (v === undefined ? 0 : v.toNumber());
const longs = (entries: Iterable<[string, number]>): Record<string, types.Long> =>
  Object.fromEntries([...entries].map(([k, v]) => [k, types.Long.fromNumber(v)]));

// a row read without its products column has none to give
function rollupOf(row: Row, withProducts: boolean): Rollup {
  const counts = (row['counts'] as Longs) ?? {};
  const sums = (row['sums'] as Longs) ?? {};
  const totals = new Map<string, Totals>(Object.keys(counts).map((s) => [s, { count: num(counts[s]), sum: num(sums[s]) }]));
  return { totals, products: withProducts ? unpackProducts(row['products'] as Buffer) : new Map() };
}

// a read_from column of several days, by day
function readFromOf(row: Row): Map<string, number> {
  const byDay = (row['read_from'] as Record<string, Date> | null) ?? {};
  return new Map(Object.entries(byDay).map(([day, at]): [string, number] => [day, at.getTime()]));
}

const readFromColumn = (readFrom: ReadonlyMap<string, number>): Record<string, Date> =>
  Object.fromEntries([...readFrom].map(([day, at]) => [day, new Date(at)]));

const totalsOf = (rollup: Pick<Rollup, 'totals'>): [Record<string, types.Long>, Record<string, types.Long>] => {
  const totals = [...rollup.totals];
  return [longs(totals.map(([s, t]) => [s, t.count])), longs(totals.map(([s, t]) => [s, t.sum]))];
};

function columnsOf(rollup: Rollup): [Record<string, types.Long>, Record<string, types.Long>, Buffer] {
  return [...totalsOf(rollup), packProducts(rollup.products)];
}

/** the rollups of closed days and months (tables and why they can be trusted: analytics.schema.ts) */
@Injectable()
export class RollupsRepository {
  constructor(
    @Inject(CASSANDRA) private readonly cassandra: Client,
    private readonly keyspace: CassandraKeyspace,
  ) {}

  /**
   * the stored rollups of the days first..last of one month, by day. without products they are small:
   * what a time series needs
   */
  async days(first: string, last: string, withProducts = true): Promise<Map<string, StoredRollup>> {
    const ks = await this.keyspace.current();
    const rs = await this.cassandra.execute(
      `select day, read_from, counts, sums${withProducts ? ', products' : ''} from ${ks}.rollups_by_day_v2 where month = ? and day >= ? and day <= ?`,
      [monthOf(first), first, last],
      READ,
    );
    const days = new Map<string, StoredRollup>();
    for await (const row of rs) {
      const day = String(row['day']);
      days.set(day, { rollup: rollupOf(row, withProducts), readFrom: new Map([[day, (row['read_from'] as Date).getTime()]]) });
    }
    return days;
  }

  /** the stored rollups of the months first..last (their first days) of one year, by month */
  async months(first: string, last: string): Promise<Map<string, StoredRollup>> {
    const ks = await this.keyspace.current();
    const rs = await this.cassandra.execute(
      `select month, read_from, counts, sums, products from ${ks}.rollups_by_month_v2 where year = ? and month >= ? and month <= ?`,
      [yearOf(first), first, last],
      READ,
    );
    const months = new Map<string, StoredRollup>();
    for await (const row of rs) months.set(String(row['month']), { rollup: rollupOf(row, true), readFrom: readFromOf(row) });
    return months;
  }

  /** the stored report of a whole year, if there is one */
  async year(year: number): Promise<StoredReport | undefined> {
    const ks = await this.keyspace.current();
    const rs = await this.cassandra.execute(
      `select read_from, counts, sums, top_products from ${ks}.rollups_by_year where year = ?`,
      [year],
      READ,
    );
    const row = rs.first();
    if (!row) return undefined;
    const { totals } = rollupOf(row, false);
    const topProducts = [...unpackProducts(row['top_products'] as Buffer)].map(([productId, quantity]) => ({ productId, quantity }));
    return { report: { totals, topProducts }, readFrom: readFromOf(row) };
  }

  async saveDay(day: string, readFrom: number, rollup: Rollup): Promise<void> {
    const ks = await this.keyspace.current();
    await this.cassandra.execute(
      `insert into ${ks}.rollups_by_day_v2 (month, day, read_from, counts, sums, products) values (?, ?, ?, ?, ?, ?)`,
      [monthOf(day), day, new Date(readFrom), ...columnsOf(rollup)],
      WRITE,
    );
  }

  async saveMonth(month: string, stored: StoredRollup): Promise<void> {
    const ks = await this.keyspace.current();
    await this.cassandra.execute(
      `insert into ${ks}.rollups_by_month_v2 (year, month, read_from, counts, sums, products) values (?, ?, ?, ?, ?, ?)`,
      [yearOf(month), month, readFromColumn(stored.readFrom), ...columnsOf(stored.rollup)],
      WRITE,
    );
  }

  /** the top products packed as the products of other rollups are, in their order */
  async saveYear(year: number, stored: StoredReport): Promise<void> {
    const ks = await this.keyspace.current();
    const top = packProducts(new Map(stored.report.topProducts.map((p) => [p.productId, p.quantity])));
    await this.cassandra.execute(
      `insert into ${ks}.rollups_by_year (year, read_from, counts, sums, top_products) values (?, ?, ?, ?, ?)`,
      [year, readFromColumn(stored.readFrom), ...totalsOf(stored.report), top],
      WRITE,
    );
  }
}
