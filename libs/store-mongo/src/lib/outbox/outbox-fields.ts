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

/** fields every outboxed document carries; add them to the mongoose schema */
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

export const outboxSchemaFields = {
  outbox: { type: [Object], default: (): OutboxEntry[] => [] },
  outboxPending: { type: Boolean, default: false, index: true },
  rev: { type: Number, default: 0 },
  outboxLeaseUntil: { type: Date },
  outboxLeaseBy: { type: String },
};

type Update = Record<string, unknown> & { $set?: object; $inc?: object; $push?: object };

/** adds events to an update: pushes them, raises the pending flag and bumps rev */
export function withEvents(update: Update, entries: readonly OutboxEntry[]): Update {
  if (entries.length === 0) return update;
  return {
    ...update,
    $push: { ...update.$push, outbox: { $each: entries } },
    $set: { ...update.$set, outboxPending: true },
    $inc: { ...update.$inc, rev: 1 },
  };
}

/** initial outbox fields for a document created together with its events */
export function newDocumentOutbox(entries: readonly OutboxEntry[]): OutboxFields {
  return { outbox: [...entries], outboxPending: entries.length > 0, rev: 0 };
}
