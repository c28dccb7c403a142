import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from './envelope';
import { contracts, type EventsMap } from './events-map';
import type { TopicName } from './topics';
import { validatePayload } from './validate';

export interface EventMeta {
  /** partition key; defaults to nothing, so callers must choose (usually the aggregate id) */
  readonly key: string;
  readonly correlationId?: string;
  /** the event being handled when this one is produced */
  readonly causedBy?: Pick<EventEnvelope, 'id' | 'correlationId'>;
}

/** builds a validated envelope; throws EventValidationError on a bad payload */
export function createEnvelope<T extends TopicName>(topic: T, payload: EventsMap[T], meta: EventMeta): EventEnvelope<EventsMap[T]> {
  const { type, version } = contracts[topic];
  const id = randomUUID();
  return {
    id,
    type,
    version,
    occurredAt: new Date().toISOString(),
    correlationId: meta.correlationId ?? meta.causedBy?.correlationId ?? id,
    causationId: meta.causedBy?.id ?? null,
    key: meta.key,
    payload: validatePayload(topic, payload),
  };
}
