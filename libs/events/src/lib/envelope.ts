import { z } from 'zod';

/** what travels on every topic: metadata around a typed payload */
export interface EventEnvelope<P = unknown> {
  /** unique per event; consumers de-duplicate on it */
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  /** the request or flow this event belongs to */
  readonly correlationId: string;
  /** the id of the event that caused this one, if any */
  readonly causationId: string | null;
  /** partition key: events with the same key stay in order */
  readonly key: string;
  readonly payload: P;
}

export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  key: z.string().min(1),
  payload: z.unknown(),
});
