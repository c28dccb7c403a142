/** how long cassandra start-up waits for every node to agree on the schema after a ddl statement */
export const SCHEMA_AGREEMENT_TIMEOUT_MS = 60_000;
export const SCHEMA_AGREEMENT_POLL_MS = 500;
