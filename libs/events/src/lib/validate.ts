import { envelopeSchema, type EventEnvelope } from './envelope';
import { contracts, type EventsMap } from './events-map';
import { isTopicName, type TopicName } from './topics';

export class EventValidationError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(`${message}: ${issues.join('; ')}`);
    this.name = 'EventValidationError';
  }
}

function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/** checks a payload against its topic's contract; used before writing to the outbox */
export function validatePayload<T extends TopicName>(topic: T, payload: unknown): EventsMap[T] {
  const res = contracts[topic].schema.safeParse(payload);
  if (!res.success) throw new EventValidationError(`invalid payload for ${topic}`, issuesOf(res.error));
  return res.data as EventsMap[T];
}

/** parses raw bytes from a topic into a checked envelope; throws EventValidationError on anything off */
export function parseEnvelope<T extends TopicName>(topic: T, raw: Buffer | string | null): EventEnvelope<EventsMap[T]> {
  if (!isTopicName(topic)) throw new EventValidationError('unknown topic', [topic]);
  if (raw === null) throw new EventValidationError(`empty message on ${topic}`, ['value is null']);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    throw new EventValidationError(`message on ${topic} is not JSON`, ['value is not valid JSON']);
  }
  const env = envelopeSchema.safeParse(json);
  if (!env.success) throw new EventValidationError(`invalid envelope on ${topic}`, issuesOf(env.error));
  const contract = contracts[topic];
  if (env.data.type !== contract.type || env.data.version !== contract.version) {
    throw new EventValidationError(`unexpected event on ${topic}`, [
      `got ${env.data.type} v${env.data.version}, expected ${contract.type} v${contract.version}`,
    ]);
  }
  return { ...env.data, payload: validatePayload(topic, env.data.payload) };
}
