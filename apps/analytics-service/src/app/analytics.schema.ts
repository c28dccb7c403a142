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

  // the currencies that ever had revenue, so a summary knows which revenue.<currency> series to read;
  // one small partition, written with the same idempotent upsert
  `create table if not exists revenue_currencies (
     scope text,
     currency text,
     primary key ((scope), currency)
   )`,
];
