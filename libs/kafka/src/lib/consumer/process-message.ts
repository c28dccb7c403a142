import type { KafkaMessage, Message } from 'kafkajs';
import { EventValidationError, deadLetterTopic, parseEnvelope, type EventEnvelope, type TopicName } from '@ecom/events';
import { isTransient } from '@ecom/resilience';
import { CONSUMER_MAX_BACKOFF_MS, CONSUMER_STALL_MAX_BACKOFF_MS, DLT_HEADERS } from '../constants';

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
  /** whether every store this service needs answers its health check right now */
  readonly dependenciesHealthy: () => Promise<boolean>;
  /** keeps the consumer in its group while a message waits out an outage */
  readonly heartbeat: () => Promise<void>;
  /** the partition waits for a store (error set) or flows again (null) */
  readonly stalled: (error: string | null) => void;
  /** an attempt failed: retried while the stores are healthy, paused while one is down */
  readonly failedAttempt: (kind: 'retried' | 'paused') => void;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export type Outcome = 'handled' | 'dead-lettered';

export class ShutdownInterrupted extends Error {}

/**
 * thrown by a handler for a valid event that retrying cannot help, e.g. one about an order this
 * service never had: it goes to the dead-letter topic at once, for a person to look at.
 */
export class UnprocessableEvent extends Error {}

export function backoff(base: number, attempt: number, max = CONSUMER_MAX_BACKOFF_MS): number {
  return Math.min(base * 2 ** Math.min(attempt - 1, 20), max);
}

/**
 * handles one message:
 * - invalid messages and UnprocessableEvent go straight to the dead-letter topic (retrying cannot
 *   fix them);
 * - while a store is down (a transient error, or any error while a health check fails) the
 *   message waits with capped backoff for as long as it takes, and so does its partition, which
 *   keeps per-key order. it is never dead-lettered for an outage;
 * - a handler that keeps failing while every store is healthy is retried maxRetries times, then
 *   dead-lettered.
 * it only returns once the message is handled or safely in the dead-letter topic, so committing
 * after it loses nothing. anything else throws, and the offset stays put.
 */
export async function processMessage(input: IncomingMessage, deps: ProcessDeps): Promise<Outcome> {
  const event = await parsed(input, deps);
  return event ? handleEvent(input, event, deps) : 'dead-lettered';
}

export interface IncomingBatch {
  readonly topic: TopicName;
  readonly partition: number;
  /** consecutive messages of one partition, in offset order */
  readonly messages: readonly KafkaMessage[];
}

export interface BatchDeps extends Omit<ProcessDeps, 'handle'> {
  /** every valid event of the batch at once, in offset order */
  readonly handleMany: (events: EventEnvelope[]) => Promise<void>;
}

/**
 * handles consecutive messages of one partition together, for a handler that takes many events in
 * one call (@EventBatchHandler), as processMessage handles one:
 * - an invalid message goes to the dead-letter topic on its own; the others are handled;
 * - while a store is down the batch waits, as a message does, and is then retried whole;
 * - any other failure splits the batch: each event goes through processMessage's steps alone (the
 *   handler called with that one event), so only an event that fails for good reaches the
 *   dead-letter topic, and the others are handled.
 * a batch of one is exactly processMessage. it returns once every message is handled or in the
 * dead-letter topic, with each message's outcome in order.
 */
export async function processBatch(input: IncomingBatch, deps: BatchDeps): Promise<Outcome[]> {
  const { topic, partition, messages } = input;
  const outcomes: Outcome[] = messages.map(() => 'dead-lettered');
  const valid: { readonly at: number; readonly event: EventEnvelope }[] = [];
  for (const [at, message] of messages.entries()) {
    const event = await parsed({ topic, partition, message }, deps);
    if (event) valid.push({ at, event });
  }
  const alone: ProcessDeps = { ...deps, handle: (event) => deps.handleMany([event]) };
  if (valid.length > 1) {
    const where = { topic, partition, offset: messages[valid[0].at].offset, lastOffset: messages[valid[valid.length - 1].at].offset };
    const failed = await handleTogether(
      where,
      valid.map((v) => v.event),
      deps,
    );
    if (failed === null) {
      for (const v of valid) outcomes[v.at] = 'handled';
      return outcomes;
    }
    deps.log.warn(
      { ...where, events: valid.length, err: failed },
      'a batch failed while its stores are healthy; handling its events one at a time',
    );
  }
  for (const v of valid) outcomes[v.at] = await handleEvent({ topic, partition, message: messages[v.at] }, v.event, alone);
  return outcomes;
}

/** the events in one call, waiting out an outage; null once handled, the error of any other failure */
async function handleTogether(where: object, events: EventEnvelope[], deps: BatchDeps): Promise<string | null> {
  let waits = 0;
  try {
    for (;;) {
      try {
        await deps.handleMany(events);
        if (waits > 0) deps.log.warn({ ...where, events: events.length, waits }, 'store is back, batch handled');
        return null;
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        if (deps.stopping()) throw new ShutdownInterrupted(`shutting down during retries of a batch of ${events.length}`);
        if (e instanceof UnprocessableEvent || !(await isOutage(e, deps))) return error;
        await waitForStores(deps, { ...where, events: events.length }, ++waits, error);
      }
    }
  } finally {
    if (waits > 0) deps.stalled(null);
  }
}

/** the message's event, or undefined once an invalid message is in the dead-letter topic */
async function parsed(input: IncomingMessage, deps: Omit<ProcessDeps, 'handle'>): Promise<EventEnvelope | undefined> {
  const { topic, partition, message } = input;
  try {
    return parseEnvelope(topic, message.value);
  } catch (e) {
    if (!(e instanceof EventValidationError)) throw e;
    deps.log.error({ topic, partition, offset: message.offset, err: e.message }, 'invalid message, sending it to the dead-letter topic');
    await deps.sendDeadLetter(deadLetterTopic(topic), deadLetter(input, deps.groupId, 'invalid', e.message, 0));
    return undefined;
  }
}

/** an error while a store is down: wait, however long it takes */
async function isOutage(e: unknown, deps: Pick<ProcessDeps, 'dependenciesHealthy'>): Promise<boolean> {
  return isTransient(e) || !(await deps.dependenciesHealthy());
}

async function waitForStores(deps: Omit<ProcessDeps, 'handle'>, where: object, waits: number, error: string): Promise<void> {
  deps.failedAttempt('paused');
  const wait = backoff(deps.backoffMs, waits, CONSUMER_STALL_MAX_BACKOFF_MS);
  deps.stalled(error);
  if (waits === 1 || waits % 10 === 0)
    deps.log.warn({ ...where, waits, retryInMs: wait, err: error }, 'a store is unavailable, partition waits');
  await deps.sleep(wait);
  await deps.heartbeat();
}

async function handleEvent(input: IncomingMessage, event: EventEnvelope, deps: ProcessDeps): Promise<Outcome> {
  const { topic, partition, message } = input;
  const where = { topic, partition, offset: message.offset };
  let failures = 0;
  let waits = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.handle(event);
        if (waits > 0) deps.log.warn({ ...where, eventId: event.id, waits }, 'store is back, event handled');
        return 'handled';
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        if (e instanceof UnprocessableEvent) {
          deps.log.error({ ...where, eventId: event.id, err: error }, 'event cannot be processed, sending it to the dead-letter topic');
          await deps.sendDeadLetter(deadLetterTopic(topic), deadLetter(input, deps.groupId, 'unprocessable', error, attempt));
          return 'dead-lettered';
        }
        if (deps.stopping()) throw new ShutdownInterrupted(`shutting down during retries of ${topic}@${message.offset}`);
        if (await isOutage(e, deps)) {
          await waitForStores(deps, { ...where, eventId: event.id }, ++waits, error);
          continue;
        }
        failures++;
        if (failures > deps.maxRetries) {
          deps.log.error(
            { ...where, eventId: event.id, attempts: failures, err: error },
            'handler failed while its stores are healthy, sending the event to the dead-letter topic',
          );
          await deps.sendDeadLetter(deadLetterTopic(topic), deadLetter(input, deps.groupId, 'failed', error, failures));
          return 'dead-lettered';
        }
        deps.failedAttempt('retried');
        const wait = backoff(deps.backoffMs, failures);
        deps.log.warn({ ...where, eventId: event.id, attempt: failures, retryInMs: wait, err: error }, 'handler failed, retrying');
        await deps.sleep(wait);
      }
    }
  } finally {
    if (waits > 0) deps.stalled(null);
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
