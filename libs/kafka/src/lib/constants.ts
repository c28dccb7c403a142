// defaults for the kafka transport, in one place

/** rows or documents the outbox relays claim per round */
export const OUTBOX_BATCH_SIZE = 200;
/**
 * how long a relay nudged during a round gathers more commits before the next round: events then go
 * out in batches under load (one produce, one delete), at the price of this much latency
 */
export const OUTBOX_NUDGE_LINGER_MS = 10;
/** how often an idle relay looks for work it was not told about (other replicas, restarts) */
export const OUTBOX_IDLE_POLL_MS = 500;
/** ceiling of the relay's backoff while kafka is unreachable */
export const OUTBOX_MAX_BACKOFF_MS = 5_000;
/** ceiling of the consumer's backoff between retries of one message */
export const CONSUMER_MAX_BACKOFF_MS = 10_000;
/** ceiling of the wait between tries while a store is down: short, so recovery is noticed soon */
export const CONSUMER_STALL_MAX_BACKOFF_MS = 2_000;
/** the most events an @EventBatchHandler gets in one call; a fetched batch beyond it is handed on in parts */
export const CONSUMER_MAX_BATCH = 100;
/** health checks must answer inside the readiness probe's budget */
export const HEALTH_TIMEOUT_MS = 2_000;

export const HEADER_EVENT_ID = 'event-id';
export const HEADER_EVENT_TYPE = 'event-type';
export const HEADER_CORRELATION_ID = 'correlation-id';

// dead letters carry the original key, value and headers, plus these
export const DLT_HEADERS = {
  topic: 'dlt-original-topic',
  partition: 'dlt-original-partition',
  offset: 'dlt-original-offset',
  timestamp: 'dlt-original-timestamp',
  group: 'dlt-consumer-group',
  reason: 'dlt-reason',
  error: 'dlt-error',
  attempts: 'dlt-attempts',
  failedAt: 'dlt-failed-at',
} as const;
