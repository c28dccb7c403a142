import type { EventEnvelope } from './envelope';
import { EventValidationError, parseOrThrow } from './event-validation.error';
import { contracts, type EventsMap } from './events-map';
import { readEnvelope } from './read-envelope';
import { isTopicName, type TopicName } from './topics';

/** checks a payload against its topic's contract; used before writing to the outbox */
export function validatePayload<T extends TopicName>(topic: T, payload: unknown): EventsMap[T] {
  return parseOrThrow(contracts[topic].schema, payload, `invalid payload for ${topic}`) as EventsMap[T];
}

/**
 * parses raw bytes from a topic into a checked envelope of the current version (older versions are
 * upcast, see read-envelope.ts); throws EventValidationError on anything it cannot read
 */
export function parseEnvelope<T extends TopicName>(topic: T, raw: Buffer | string | null): EventEnvelope<EventsMap[T]> {
  if (!isTopicName(topic)) throw new EventValidationError('unknown topic', [topic]);
  return readEnvelope(topic, contracts[topic], raw) as EventEnvelope<EventsMap[T]>;
}
