export const CASSANDRA = Symbol('ecom:cassandra');
/** the configured keyspace: it holds the generation row, and the first generation's tables */
export const CASSANDRA_BASE_KEYSPACE = Symbol('ecom:cassandra-base-keyspace');
