// cql run at start-up in the service's keyspace; every statement must be idempotent

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
];
