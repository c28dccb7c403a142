import { StoreUnavailable } from './store-unavailable';

// the one place that decides whether an error means "a dependency is unreachable or overloaded"
// (wait and retry: the same work succeeds once it is back) or anything else (retrying the same
// input cannot help). drivers are recognised by the shape of their errors, never imported, so
// this library loads no driver.

type Shape = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  retriable?: unknown;
  errorLabels?: unknown;
  hasErrorLabel?: unknown;
  cause?: unknown;
  driverError?: unknown;
  originalError?: unknown;
  innerErrors?: unknown;
  meta?: unknown;
};

/** node's socket and dns errors: the peer is down, restarting or not resolvable yet */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * postgresql sqlstates: class 08 connection exception, 53 insufficient resources, 57P01-03
 * shutdown / not accepting connections yet, 40001 serialization failure, 40P01 deadlock,
 * 55P03 lock not available
 */
function isTransientSqlState(code: string): boolean {
  return /^(08|53)[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '40001', '40P01', '55P03'].includes(code);
}

// node-postgres and pg-pool raise these without a sqlstate when the server goes away
const PG_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection is not established/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/**
 * typeorm, when the connection under a transaction died: the error path released the runner while
 * the transaction's callback still ran. nothing was committed, and a retry gets a new connection
 */
const TYPEORM_NAMES = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

const MONGO_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoServerClosedError',
]);

/** server codes: NotWritablePrimary and friends, shutdown, step-down, network, time limits */
const MONGO_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

const CASSANDRA_NAMES = new Set(['NoHostAvailableError', 'OperationTimedOutError', 'BusyConnectionError']);

/** native protocol codes: unavailable, overloaded, bootstrapping, write and read timeouts */
const CASSANDRA_CODES = new Set([0x1000, 0x1001, 0x1002, 0x1100, 0x1200]);

const REDIS_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const REDIS_MESSAGES = [
  /connection is closed/i,
  /stream isn't writeable/i,
  // OOM: full at maxmemory (noeviction). no write can succeed until memory is freed or raised, and then
  // the same one will: wait (RedisMemoryHigh alerts first), never dead-letter
  /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|OOM)\b/,
  /reached the max retries per request/i,
];

const ELASTIC_NAMES = new Set(['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError']);
const RETRY_LATER_STATUSES = new Set([429, 502, 503, 504]);

const KAFKA_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSNumberOfRetriesExceeded',
]);

function isTransientOne(e: Shape): boolean {
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const code = e.code;
  if (e instanceof StoreUnavailable) return true;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  // postgres (directly, or through typeorm's QueryFailedError, which copies the driver's fields)
  if (typeof code === 'string' && code.length === 5 && isTransientSqlState(code)) return true;
  if (PG_MESSAGES.some((re) => re.test(message))) return true;
  if (TYPEORM_NAMES.has(name)) return true;
  // mongodb
  if (MONGO_NAMES.has(name)) return true;
  if (name.startsWith('Mongo') && typeof code === 'number' && MONGO_CODES.has(code)) return true;
  if (typeof e.hasErrorLabel === 'function') {
    const has = e.hasErrorLabel as (label: string) => boolean;
    if (has.call(e, 'RetryableWriteError') || has.call(e, 'TransientTransactionError')) return true;
  }
  // cassandra
  if (CASSANDRA_NAMES.has(name)) return true;
  if (name === 'ResponseError' && typeof code === 'number' && CASSANDRA_CODES.has(code)) return true;
  // redis (ioredis)
  if (REDIS_NAMES.has(name)) return true;
  if (REDIS_MESSAGES.some((re) => re.test(message)) && (name === 'Error' || name === 'ReplyError')) return true;
  // elasticsearch (@elastic/transport)
  if (ELASTIC_NAMES.has(name)) return true;
  if (name === 'ResponseError' && typeof e.statusCode === 'number' && RETRY_LATER_STATUSES.has(e.statusCode)) return true;
  // kafka (kafkajs marks what its own retries would have retried)
  if (KAFKA_NAMES.has(name)) return true;
  if (name.startsWith('KafkaJS') && e.retriable === true) return true;
  return false;
}

/** the errors an error wraps: standard cause, typeorm's driverError, kafkajs' originalError, aggregates */
function wrapped(e: Shape): unknown[] {
  const inner: unknown[] = [e.cause, e.driverError, e.originalError];
  if (Array.isArray(e.innerErrors)) inner.push(...e.innerErrors);
  if (e instanceof AggregateError) inner.push(...e.errors);
  return inner.filter((x) => typeof x === 'object' && x !== null);
}

/**
 * true when the error means a dependency is unreachable or overloaded, so the same work will
 * succeed once it is back: wait and retry, never dead-letter, answer 503 over http.
 * follows wrapped errors a few levels deep.
 */
export function isTransient(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as Shape;
  return isTransientOne(e) || wrapped(e).some((inner) => isTransient(inner, depth + 1));
}
