import { errors, types, type Client } from 'cassandra-driver';
import { SCHEMA_AGREEMENT_POLL_MS, SCHEMA_AGREEMENT_TIMEOUT_MS } from './constants';

// in the driver's js since 4.0, but missing from its index.d.ts (checked up to 4.10)
interface SchemaAgreementCheck {
  checkSchemaAgreement(): Promise<boolean>;
}

/** replicas run the same ddl at start-up, so each statement must be a no-op the second time */
export function assertIdempotentDdl(statement: string): void {
  if (!/^\s*create\s+(keyspace|table|type|index|custom\s+index)\s+if\s+not\s+exists\b/i.test(statement)) {
    throw new Error(`cassandra schema statements must be CREATE ... IF NOT EXISTS, got: ${statement.trim().split('\n')[0]}`);
  }
}

/** a concurrent creator won between our check and our create: for us that is success */
export function isAlreadyExists(e: unknown): boolean {
  return e instanceof errors.ResponseError && e.code === types.responseErrorCodes.alreadyExists;
}

/**
 * runs one ddl statement, then waits until every node has the same schema version. two replicas
 * creating the same table on different coordinators can otherwise leave the cluster disagreeing,
 * and the next statement (or the first write) fails on a node that has not seen the table yet.
 * the check runs even when the statement was a no-op: the table may be another replica's, still
 * spreading.
 */
export async function applyDdl(client: Client, statement: string): Promise<void> {
  try {
    await client.execute(statement);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  await waitForSchemaAgreement(client);
}

export async function waitForSchemaAgreement(client: Client, timeoutMs = SCHEMA_AGREEMENT_TIMEOUT_MS): Promise<void> {
  const metadata = client.metadata as unknown as SchemaAgreementCheck;
  const deadline = Date.now() + timeoutMs;
  while (!(await metadata.checkSchemaAgreement())) {
    if (Date.now() > deadline) throw new Error(`cassandra nodes did not agree on the schema within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, SCHEMA_AGREEMENT_POLL_MS));
  }
}
