import { Inject, Injectable } from '@nestjs/common';
import type { Client, types } from 'cassandra-driver';
import { CASSANDRA } from '@ecom/store-cassandra';
import type { EventFacts } from './event-facts';
import type { DaySlice } from './time-buckets';

const CURRENCY_SCOPE = 'revenue';
// every write is an upsert of fully determined values under the event's id: safe to retry
const WRITE = { prepare: true, isIdempotent: true } as const;
const READ = { prepare: true, fetchSize: 5_000 } as const;

/** a count and a sum over some rows of a series */
export interface Totals {
  readonly count: number;
  readonly sum: number;
}

const num = (v: types.Long | number | null | undefined): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber();

/** the facts analytics keeps in cassandra (tables and idempotency argument: analytics.schema.ts) */
@Injectable()
export class FactsRepository {
  constructor(@Inject(CASSANDRA) private readonly cassandra: Client) {}

  /**
   * writes every row of one event. the writes go out in parallel, not as a batch: each is idempotent,
   * so if one fails the handler throws, the consumer retries the event and the retry fills the gap.
   */
  async record(f: EventFacts): Promise<void> {
    const { day, minute } = f.bucket;
    const writes: [string, unknown[]][] = [
      [
        'insert into events_by_day (event_type, day, occurred_at, event_id, correlation_id, payload) values (?, ?, ?, ?, ?, ?)',
        [f.eventType, day, f.occurredAt, f.eventId, f.correlationId, f.history],
      ],
      ...f.series.map((s): [string, unknown[]] => [
        'insert into series_facts (series, day, bucket_minute, event_id, value) values (?, ?, ?, ?, ?)',
        [s.series, day, minute, f.eventId, s.value],
      ]),
      ...f.products.map((p): [string, unknown[]] => [
        'insert into product_sales_by_day (day, product_id, bucket_minute, event_id, quantity) values (?, ?, ?, ?, ?)',
        [day, p.productId, minute, f.eventId, p.quantity],
      ]),
      ...f.currencies.map((c): [string, unknown[]] => [
        'insert into revenue_currencies (scope, currency) values (?, ?)',
        [CURRENCY_SCOPE, c],
      ]),
    ];
    await Promise.all(writes.map(([cql, params]) => this.cassandra.execute(cql, params, WRITE)));
  }

  /** count and sum of a series over one day slice */
  async totals(series: string, slice: DaySlice): Promise<Totals> {
    const rs = await this.cassandra.execute(
      'select count(*) as n, sum(value) as total from series_facts where series = ? and day = ? and bucket_minute >= ? and bucket_minute < ?',
      [series, slice.day, new Date(slice.start), new Date(slice.end)],
      READ,
    );
    const row = rs.first();
    return { count: num(row?.['n']), sum: num(row?.['total']) };
  }

  /** count and sum of a series per minute of one day slice; minutes without facts are absent */
  async totalsPerMinute(series: string, slice: DaySlice): Promise<(Totals & { readonly at: number })[]> {
    const rs = await this.cassandra.execute(
      'select bucket_minute, count(*) as n, sum(value) as total from series_facts where series = ? and day = ? and bucket_minute >= ? and bucket_minute < ? group by bucket_minute',
      [series, slice.day, new Date(slice.start), new Date(slice.end)],
      READ,
    );
    const minutes: (Totals & { at: number })[] = [];
    // the result set pages on by itself when iterated asynchronously
    for await (const row of rs)
      minutes.push({ at: (row['bucket_minute'] as Date).getTime(), count: num(row['n']), sum: num(row['total']) });
    return minutes;
  }

  /** quantity sold per product over one day slice */
  async productQuantities(slice: DaySlice): Promise<Map<string, number>> {
    // a whole day is the whole partition; a partial one filters on the minute, inside that one partition only
    const rs = slice.whole
      ? await this.cassandra.execute(
          'select product_id, sum(quantity) as quantity from product_sales_by_day where day = ? group by product_id',
          [slice.day],
          READ,
        )
      : await this.cassandra.execute(
          'select product_id, sum(quantity) as quantity from product_sales_by_day where day = ? and bucket_minute >= ? and bucket_minute < ? group by product_id allow filtering',
          [slice.day, new Date(slice.start), new Date(slice.end)],
          READ,
        );
    const quantities = new Map<string, number>();
    for await (const row of rs) {
      const quantity = num(row['quantity']);
      if (quantity > 0) quantities.set(row['product_id'] as string, quantity);
    }
    return quantities;
  }

  /** every currency that ever had revenue */
  async currencies(): Promise<string[]> {
    const rs = await this.cassandra.execute('select currency from revenue_currencies where scope = ?', [CURRENCY_SCOPE], READ);
    const currencies: string[] = [];
    for await (const row of rs) currencies.push(row['currency'] as string);
    return currencies;
  }
}
