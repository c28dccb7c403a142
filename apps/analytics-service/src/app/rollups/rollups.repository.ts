import { Inject, Injectable } from '@nestjs/common';
import { types, type Client } from 'cassandra-driver';
import { CASSANDRA, CassandraKeyspace } from '@ecom/store-cassandra';
import type { Totals } from '../facts/facts.repository';
import { monthOf, yearOf } from '../facts/time-buckets';
import { packProducts, unpackProducts } from './packed-products';
import type { Rollup, StoredRollup } from './rollup';

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

function columnsOf(rollup: Rollup): [Record<string, types.Long>, Record<string, types.Long>, Buffer] {
  const totals = [...rollup.totals];
  return [longs(totals.map(([s, t]) => [s, t.count])), longs(totals.map(([s, t]) => [s, t.sum])), packProducts(rollup.products)];
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
    for await (const row of rs) {
      const readFrom = Object.entries((row['read_from'] as Record<string, Date> | null) ?? {}).map(([d, at]): [string, number] => [
        d,
        at.getTime(),
      ]);
      months.set(String(row['month']), { rollup: rollupOf(row, true), readFrom: new Map(readFrom) });
    }
    return months;
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
    const readFrom = Object.fromEntries([...stored.readFrom].map(([day, at]) => [day, new Date(at)]));
    await this.cassandra.execute(
      `insert into ${ks}.rollups_by_month_v2 (year, month, read_from, counts, sums, products) values (?, ?, ?, ?, ?, ?)`,
      [yearOf(month), month, readFrom, ...columnsOf(stored.rollup)],
      WRITE,
    );
  }
}
