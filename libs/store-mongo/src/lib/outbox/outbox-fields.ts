import type { IndexDescription, UpdateFilter } from 'mongodb';
import type { EventEnvelope } from '@ecom/events';

/**
 * the local MongoDB-wire server has no multi-document transactions, so pending events live inside the document
 * they describe: one atomic write covers the state change and its events.
 */
export interface OutboxEntry {
  readonly id: string;
  readonly topic: string;
  readonly envelope: EventEnvelope;
  /** the trace context of the request or handler that staged it, for the relay's later send */
  readonly traceparent?: string;
}

/** fields every outboxed document carries: newDocumentOutbox() sets them on insert, withEvents() on update */
export interface OutboxFields {
  outbox: OutboxEntry[];
  /** indexed flag the relay polls; cheaper to find than non-empty arrays */
  outboxPending: boolean;
  /** bumped on every write that stages or clears events: a version of the outbox, for whoever needs one */
  rev: number;
  /** a relay claimed the pending events until then: other replicas leave them alone meanwhile */
  outboxLeaseUntil?: Date;
  /** which relay holds the lease */
  outboxLeaseBy?: string;
}

/** the index the relay's scans and the backlog metric find pending documents by; list it among an outboxed collection's indexes */
export const outboxIndex: IndexDescription = { key: { outboxPending: 1 } };

/** adds events to an update of a document with OutboxFields: pushes them, raises the pending flag and bumps rev */
export function withEvents<T extends OutboxFields>(update: UpdateFilter<T>, entries: readonly OutboxEntry[]): UpdateFilter<T> {
  if (entries.length === 0) return update;
  const { $push, $set, $inc } = update as { $push?: object; $set?: object; $inc?: object };
  return {
    ...update,
    $push: { ...$push, outbox: { $each: entries } },
    $set: { ...$set, outboxPending: true },
    $inc: { ...$inc, rev: 1 },
  } as unknown as UpdateFilter<T>;
}

/** initial outbox fields for a document created together with its events */
export function newDocumentOutbox(entries: readonly OutboxEntry[]): OutboxFields {
  return { outbox: [...entries], outboxPending: entries.length > 0, rev: 0 };
}
