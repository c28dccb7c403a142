import type { KafkaMessage, Message } from 'kafkajs';
import { EventValidationError, deadLetterTopic, parseEnvelope, type EventEnvelope, type TopicName } from '@ecom/events';
import { CONSUMER_MAX_BACKOFF_MS, DLT_HEADERS } from '../constants';

export interface IncomingMessage {
  readonly topic: TopicName;
  readonly partition: number;
  readonly message: KafkaMessage;
}

export interface ProcessDeps {
  readonly groupId: string;
  readonly maxRetries: number;
  readonly backoffMs: number;
  readonly handle: (event: EventEnvelope) => Promise<void>;
  readonly sendDeadLetter: (topic: string, message: Message) => Promise<void>;
  readonly sleep: (ms: number) => Promise<void>;
  /** true once shutdown began: stop retrying and leave the offset where it is */
  readonly stopping: () => boolean;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export type Outcome = 'handled' | 'dead-lettered';

export class ShutdownInterrupted extends Error {}

/**
 * thrown by a handler for a valid event that retrying cannot help, e.g. one about an order this
 * service never had: it goes to the dead-letter topic at once, for a person to look at.
 */
export class UnprocessableEvent extends Error {}

export function backoff(base: number, attempt: number): number {
  return Math.min(base * 2 ** (attempt - 1), CONSUMER_MAX_BACKOFF_MS);
}

/**
 * handles one message: invalid messages go straight to the dead-letter topic (retrying cannot
 * fix them); failing handlers are retried with backoff, then dead-lettered. it only returns once
 * the message is handled or safely in the dead-letter topic, so committing after it loses nothing.
 * anything else throws, and the offset stays put.
 */
export async function processMessage(input: IncomingMessage, deps: ProcessDeps): Promise<Outcome> {
  const { topic, partition, message } = input;
  const where = { topic, partition, offset: message.offset };
  let event: EventEnvelope;
  try {
    event = parseEnvelope(topic, message.value);
  } catch (e) {
    if (!(e instanceof EventValidationError)) throw e;
    deps.log.error({ ...where, err: e.message }, 'invalid message, sending it to the dead-letter topic');
    await deps.sendDeadLetter(deadLetterTopic(topic), deadLetter(input, deps.groupId, 'invalid', e.message, 0));
    return 'dead-lettered';
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.handle(event);
      return 'handled';
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (e instanceof UnprocessableEvent) {
        deps.log.error({ ...where, eventId: event.id, err: error }, 'event cannot be processed, sending it to the dead-letter topic');
        await deps.sendDeadLetter(deadLetterTopic(topic), deadLetter(input, deps.groupId, 'unprocessable', error, attempt));
        return 'dead-lettered';
      }
      if (attempt > deps.maxRetries) {
        deps.log.error(
          { ...where, eventId: event.id, attempts: attempt, err: error },
          'handler failed, sending the event to the dead-letter topic',
        );
        await deps.sendDeadLetter(deadLetterTopic(topic), deadLetter(input, deps.groupId, 'failed', error, attempt));
        return 'dead-lettered';
      }
      if (deps.stopping()) throw new ShutdownInterrupted(`shutting down during retries of ${topic}@${message.offset}`);
      const wait = backoff(deps.backoffMs, attempt);
      deps.log.warn({ ...where, eventId: event.id, attempt, retryInMs: wait, err: error }, 'handler failed, retrying');
      await deps.sleep(wait);
    }
  }
}

function deadLetter(
  input: IncomingMessage,
  group: string,
  reason: 'invalid' | 'failed' | 'unprocessable',
  error: string,
  attempts: number,
): Message {
  const { message } = input;
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DLT_HEADERS.topic]: input.topic,
      [DLT_HEADERS.partition]: String(input.partition),
      [DLT_HEADERS.offset]: message.offset,
      [DLT_HEADERS.timestamp]: message.timestamp,
      [DLT_HEADERS.group]: group,
      [DLT_HEADERS.reason]: reason,
      [DLT_HEADERS.error]: error.slice(0, 2_000),
      [DLT_HEADERS.attempts]: String(attempts),
      [DLT_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}
