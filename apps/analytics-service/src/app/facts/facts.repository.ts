import { Inject, Injectable } from '@nestjs/common';
import { types, type Client } from 'cassandra-driver';
import { CASSANDRA, CassandraKeyspace } from '@ecom/store-cassandra';
import { RollupPolicy } from '../rollups/rollup-policy';
import type { EventFacts } from './event-facts';
import { yearOf, type DaySlice } from './time-buckets';

const CURRENCY_SCOPE = 'revenue';
// reads and writes at the client's consistency, a quorum both ways (CASSANDRA_CONSISTENCY): a rollup is a
// lasting copy of what a read saw, so every write acknowledged before that read started must be in it
// (analytics.schema.ts). with one replica a quorum is one.
// every write is an upsert of fully determined values under the event's id: safe to retry
const WRITE = { prepare: true, isIdempotent: true } as const;
// cassandra warns of unlogged batches across more partitions than this, and of batches larger than 5 KiB
const BATCH_PARTITIONS = 10;
const BATCH_BYTES = 4_000;
// a row's keys and cell overhead, beside its values
const ROW_OVERHEAD_BYTES = 64;
const READ = { prepare: true, fetchSize: 5_000 } as const;

interface Row {
  readonly query: string;
  readonly params: unknown[];
  /** about how much of a batch it takes */
  readonly bytes: number;
}

/**
 * the rows in batches of at most BATCH_PARTITIONS partitions and about BATCH_BYTES, a partition's
 * rows kept together as far as they fit; a row larger than that is a batch of its own
 */
export function packBatches(byPartition: ReadonlyMap<string, readonly Row[]>): Row[][] {
  const batches: Row[][] = [];
  let batch: Row[] = [];
  let partitions = 0;
  let bytes = 0;
  for (const rows of byPartition.values()) {
    let inBatch = false;
    for (const row of rows) {
      if (batch.length > 0 && (bytes + row.bytes > BATCH_BYTES || (!inBatch && partitions >= BATCH_PARTITIONS))) {
        batches.push(batch);
        batch = [];
        partitions = 0;
        bytes = 0;
        inBatch = false;
      }
      if (!inBatch) partitions++;
      inBatch = true;
      batch.push(row);
      bytes += row.bytes;
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

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
  constructor(
    @Inject(CASSANDRA) private readonly cassandra: Client,
    private readonly policy: RollupPolicy,
    private readonly keyspace: CassandraKeyspace,
  ) {}

  /** every row of one event (recordAll) */
  async record(f: EventFacts, ks?: string): Promise<void> {
    await this.recordAll([f], ks);
  }

  /**
   * writes every row of the events, packed into unlogged batches: the rows of one partition side by
   * side, at most ten partitions and about 4 KB a batch (under cassandra's warnings for batches across
   * partitions and for batch size), a row larger than that on its own. events of one day share their
   * partitions (a series, the day's sales, the history of a type), so fifty events are a handful of
   * requests, not a hundred; one event is one. unlogged, because every row is an idempotent upsert:
   * if a write fails the handler throws, the consumer retries and the retry fills the gap; a logged
   * batch would pay for atomicity nobody reads. then, once all are acknowledged, marks each day dirty
   * that may have been rolled up. into the current generation of the tables, or the one a rebuild
   * fills (`ks`).
   */
  async recordAll(all: readonly EventFacts[], ks?: string): Promise<void> {
    if (all.length === 0) return;
    ks ??= await this.keyspace.current();
    const rows = new Map<string, Row[]>(); // by partition
    const add = (partition: string, query: string, params: unknown[]) => {
      const row = {
        query,
        params,
        bytes: ROW_OVERHEAD_BYTES + params.reduce<number>((n, p) => n + (typeof p === 'string' ? p.length : 8), 0),
      };
      const list = rows.get(partition);
      if (list) list.push(row);
      else rows.set(partition, [row]);
    };
    const currencies = new Set<string>();
    for (const f of all) {
      const { day, minute } = f.bucket;
      add(
        `events_by_day/${f.eventType}/${day}`,
        `insert into ${ks}.events_by_day (event_type, day, occurred_at, event_id, correlation_id, payload) values (?, ?, ?, ?, ?, ?)`,
        [f.eventType, day, f.occurredAt, f.eventId, f.correlationId, f.history],
      );
      for (const s of f.series)
        add(
          `series_facts/${s.series}/${day}`,
          `insert into ${ks}.series_facts (series, day, bucket_minute, event_id, value) values (?, ?, ?, ?, ?)`,
          [s.series, day, minute, f.eventId, s.value],
        );
      for (const p of f.products)
        add(
          `product_sales_by_day/${day}`,
          `insert into ${ks}.product_sales_by_day (day, product_id, bucket_minute, event_id, quantity) values (?, ?, ?, ?, ?)`,
          [day, p.productId, minute, f.eventId, p.quantity],
        );
      for (const c of f.currencies) currencies.add(c);
    }
    for (const c of currencies)
      add(`revenue_currencies/${CURRENCY_SCOPE}`, `insert into ${ks}.revenue_currencies (scope, currency) values (?, ?)`, [
        CURRENCY_SCOPE,
        c,
      ]);
    await Promise.all(
      packBatches(rows).map((b) =>
        b.length === 1 ? this.cassandra.execute(b[0].query, b[0].params, WRITE) : this.cassandra.batch(b, { ...WRITE, logged: false }),
      ),
    );
    const now = Date.now();
    const days = new Set(all.map((f) => f.bucket.day));
    await Promise.all([...days].filter((day) => this.policy.mayBeRolledUp(day, now)).map((day) => this.markDirty(ks, day, now)));
  }

  private async markDirty(ks: string, day: string, now: number): Promise<void> {
    // written with its own value as the write time, so the cell keeps the latest mark whatever order
    // the writes of several instances land in
    await this.cassandra.execute(
      `update ${ks}.dirty_days using timestamp ? set dirty_since = ? where year = ? and day = ?`,
      [types.Long.fromNumber(now * 1000), new Date(now), yearOf(day), day],
      WRITE,
    );
  }

  /** the days of a year that got facts after they may have been rolled up, and when they last did */
  async dirtyDays(year: number): Promise<Map<string, number>> {
    const ks = await this.keyspace.current();
    const rs = await this.cassandra.execute(`select day, dirty_since from ${ks}.dirty_days where year = ?`, [year], READ);
    const days = new Map<string, number>();
    for await (const row of rs) days.set(String(row['day']), (row['dirty_since'] as Date).getTime());
    return days;
  }

  /** count and sum of a series over one day slice */
  async totals(series: string, slice: DaySlice): Promise<Totals> {
    const ks = await this.keyspace.current();
    const rs = await this.cassandra.execute(
      `select count(*) as n, sum(value) as total from ${ks}.series_facts where series = ? and day = ? and bucket_minute >= ? and bucket_minute < ?`,
      [series, slice.day, new Date(slice.start), new Date(slice.end)],
      READ,
    );
    const row = rs.first();
    return { count: num(row?.['n']), sum: num(row?.['total']) };
  }

  /** count and sum of a series per minute of one day slice; minutes without facts are absent */
  async totalsPerMinute(series: string, slice: DaySlice): Promise<(Totals & { readonly at: number })[]> {
    const ks = await this.keyspace.current();
    const rs = await this.cassandra.execute(
      `select bucket_minute, count(*) as n, sum(value) as total from ${ks}.series_facts where series = ? and day = ? and bucket_minute >= ? and bucket_minute < ? group by bucket_minute`,
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
    const ks = await this.keyspace.current();
    // a whole day is the whole partition; a partial one filters on the minute, inside that one partition only
    const rs = slice.whole
      ? await this.cassandra.execute(
          `select product_id, sum(quantity) as quantity from ${ks}.product_sales_by_day where day = ? group by product_id`,
          [slice.day],
          READ,
        )
      : await this.cassandra.execute(
          `select product_id, sum(quantity) as quantity from ${ks}.product_sales_by_day where day = ? and bucket_minute >= ? and bucket_minute < ? group by product_id allow filtering`,
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
    const ks = await this.keyspace.current();
    const rs = await this.cassandra.execute(`select currency from ${ks}.revenue_currencies where scope = ?`, [CURRENCY_SCOPE], READ);
    const currencies: string[] = [];
    for await (const row of rs) currencies.push(row['currency'] as string);
    return currencies;
  }
}
