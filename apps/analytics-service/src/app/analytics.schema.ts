// cql run at start-up in the service's keyspace; every statement must be idempotent
//
// idempotency: every row a consumed event writes is keyed by that event's envelope id, and its values
// are a pure function of the event (facts/event-facts.ts). a redelivered event, or a handler retried
// after a partial failure, rewrites the same cells with the same values (an upsert), so it can never
// count twice, and the retry completes whatever the failed attempt left out. reports aggregate on read.
// why not counters: a counter increment is not idempotent (a timed-out increment may or may not have
// been applied, so retrying it can double-count), and an "insert if not exists" dedup marker (LWT) in
// front of counters leaves a window where the marker is written but the increments are not, which
// loses the event for good; it also costs a paxos round per event. adr 5 asks for writes keyed by the
// event id in cassandra; this is that.
//
// partitions are bounded by time: one per series (or product table) and UTC day, rows ordered by minute,
// so a report reads only the days its window touches and the minutes inside the edge days.
//
// rollups: a summary over a year would read ~2,500 of those partitions. so a closed day (one that ended
// more than CLOSED_AFTER_MS ago, rollups/rollup-policy.ts) is added up once into a row of rollups_by_day_v2,
// and a whole month of closed days into a row of rollups_by_month_v2: a year reads a dozen month rows, the
// days of its edge months and the facts of its partial edge days. a whole calendar year, once all its
// days are closed, is one row of rollups_by_year with its top products only, so a summary of it reads
// neither the months nor their products. today and days not yet closed are always read from the facts.
// a rollup is a lasting copy, and facts of a day may still come after it was rolled up: a late event, a
// replay from a dead-letter topic, a rebuild by replay. a rollup must never keep missing one for good:
// - a rollup stores read_from: the clock of the instance that read the day's facts, taken before the
//   first read (a month one per day). it is only computed for a day closed on that clock.
// - recording an event writes its facts, and once all are acknowledged reads its clock c; if the day
//   may have been read for a rollup by then (c >= day end + CLOSED_AFTER_MS - S), it marks the day
//   dirty: dirty_days.dirty_since = c, the greatest mark kept (written with c as its write time).
// - a rollup is used only if every day of it has read_from > dirty_since + S, S being the most two
//   instances' clocks may differ (ANALYTICS_MAX_CLOCK_SKEW_MS). otherwise the day is read from its facts
//   and the new rollup stored only if it passes the same test: a day marked less than S ago is read
//   from its facts until then.
// why: say a rollup read from r misses a fact of its day. that fact's write was acknowledged after the
// read started (facts, marks and rollups are written and read at quorum, so an acknowledged write is in
// every read that starts later), so its writer's clock after it is c >= r - S >= day end +
// CLOSED_AFTER_MS - S: it marks the day, with dirty_since >= c >= r - S, and from that mark on read_from
// <= dirty_since + S: that rollup is never used again, whoever wrote it and whenever. a writer dying
// between its facts and its mark did not commit its offset, so the redelivery writes the mark. what is
// left is the moment between a fact and its mark, when the fact may not show yet: as for any event
// still being recorded. on-time events (nearly all) mark nothing.
// no counters, no LWT: rollups and marks are upserts. two instances computing the same rollup both
// write it, and whichever row stays is checked as above; a rollup is one row, so never a mix of two.

export const analyticsSchema = [
  // the event history, one partition per event type and day so partitions stay bounded
  `create table if not exists events_by_day (
     event_type text,
     day date,
     occurred_at timestamp,
     event_id uuid,
     correlation_id text,
     payload text,
     primary key ((event_type, day), occurred_at, event_id)
   ) with clustering order by (occurred_at desc, event_id asc)`,

  // one row per event and series: signups, orders.placed|confirmed|rejected|cancelled (value 1) and
  // revenue.<currency> (value: the confirmed total in minor units). counts and sums come from
  // count(*) / sum(value) over a minute range of one partition, grouped by minute for time series.
  `create table if not exists series_facts (
     series text,
     day date,
     bucket_minute timestamp,
     event_id uuid,
     value bigint,
     primary key ((series, day), bucket_minute, event_id)
   )`,

  // one row per confirmed order and product (the order's lines of that product added up). the product
  // comes first so a day's top products are one `group by product_id`; a partial day adds a minute
  // filter inside that single partition.
  `create table if not exists product_sales_by_day (
     day date,
     product_id text,
     bucket_minute timestamp,
     event_id uuid,
     quantity bigint,
     primary key ((day), product_id, bucket_minute, event_id)
   )`,

  // the days that got facts after they may have been rolled up, and when they last did (the clock of
  // the recording instance). a year is one small partition: only late facts write here
  `create table if not exists dirty_days (
     year int,
     day date,
     dirty_since timestamp,
     primary key ((year), day)
   )`,

  // a closed day added up: count and sum per series (series without facts absent), quantity per
  // product (packed: rollups/packed-products.ts), and when its facts were read. one row, so a rewrite
  // replaces it whole; one partition per month.
  // _v2: the products were a map<text, bigint> in rollups_by_day and rollups_by_month, which instances
  // of the previous version still read and write during a rolling update; rollups are computed again
  // from the facts on demand, so the new tables start empty and the old ones can be dropped once no
  // instance of that version runs
  `create table if not exists rollups_by_day_v2 (
     month date,
     day date,
     read_from timestamp,
     counts frozen<map<text, bigint>>,
     sums frozen<map<text, bigint>>,
     products blob,
     primary key ((month), day)
   )`,

  // a month of closed days added up from their rollups, with when each day's facts were read; one
  // partition per year
  `create table if not exists rollups_by_month_v2 (
     year int,
     month date,
     read_from frozen<map<date, timestamp>>,
     counts frozen<map<text, bigint>>,
     sums frozen<map<text, bigint>>,
     products blob,
     primary key ((year), month)
   )`,

  // a whole calendar year of closed days: what a summary of it shows, the totals and the products sold
  // most (packed as the products above, in order), with when each day's facts were read. added up from
  // its months and days, and trusted or not as they are; one partition per year
  `create table if not exists rollups_by_year (
     year int,
     read_from frozen<map<date, timestamp>>,
     counts frozen<map<text, bigint>>,
     sums frozen<map<text, bigint>>,
     top_products blob,
     primary key ((year))
   )`,

  // the currencies that ever had revenue, so a summary knows which revenue.<currency> series to read;
  // one small partition, written with the same idempotent upsert
  `create table if not exists revenue_currencies (
     scope text,
     currency text,
     primary key ((scope), currency)
   )`,
];
