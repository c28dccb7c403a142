import type { IHeaders, KafkaMessage } from 'kafkajs';
import { deadLetterTopic, isTopicName, Topics, type TopicName } from '@ecom/events';
import { DLT_HEADERS, HEADER_EVENT_ID } from '../constants';

/** one dead letter as people read it: where it came from and why it failed */
export interface DeadLetterEntry {
  /** where the dead letter itself sits */
  readonly partition: number;
  readonly offset: string;
  readonly eventId: string | undefined;
  readonly key: string | undefined;
  readonly originalTopic: string | undefined;
  readonly originalPartition: number | undefined;
  readonly originalOffset: string | undefined;
  readonly group: string | undefined;
  readonly reason: string | undefined;
  readonly error: string | undefined;
  readonly attempts: number | undefined;
  readonly failedAt: string | undefined;
  /** the message as it was read, for a replay */
  readonly message: KafkaMessage;
}

/** a topic of the platform and its dead-letter topic, both logical */
export interface DeadLetterSource {
  readonly topic: TopicName;
  readonly dlt: string;
}

export class UnknownTopicError extends Error {
  constructor(readonly given: string) {
    super(`unknown topic "${given}"; the topics with dead letters are: ${Object.values(Topics).join(', ')}`);
  }
}

/** accepts a topic or its dead-letter topic ("order.placed" or "order.placed.dlt") */
export function deadLetterSource(name: string): DeadLetterSource {
  const topic = Object.values(Topics).find((t) => t === name || deadLetterTopic(t) === name);
  if (!topic) throw new UnknownTopicError(name);
  return { topic, dlt: deadLetterTopic(topic) };
}

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export function toDeadLetterEntry(partition: number, message: KafkaMessage): DeadLetterEntry {
  const h = (name: string) => headerText(message.headers, name);
  const number = (name: string) => (h(name) === undefined ? undefined : Number(h(name)));
  return {
    partition,
    offset: message.offset,
    eventId: h(HEADER_EVENT_ID) ?? envelopeId(message.value),
    key: message.key?.toString(),
    originalTopic: h(DLT_HEADERS.topic),
    originalPartition: number(DLT_HEADERS.partition),
    originalOffset: h(DLT_HEADERS.offset),
    group: h(DLT_HEADERS.group),
    reason: h(DLT_HEADERS.reason),
    error: h(DLT_HEADERS.error),
    attempts: number(DLT_HEADERS.attempts),
    failedAt: h(DLT_HEADERS.failedAt),
    message,
  };
}

/** the original topic of an entry, if it is one of the platform's */
export function originalTopicOf(entry: DeadLetterEntry): TopicName | undefined {
  return entry.originalTopic !== undefined && isTopicName(entry.originalTopic) ? entry.originalTopic : undefined;
}

// an invalid message has no event-id header; its value may still be an envelope
function envelopeId(value: Buffer | null): string | undefined {
  try {
    const id = (JSON.parse(value?.toString() ?? '') as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
