import { EventPattern } from '@nestjs/microservices';
import type { EventEnvelope, EventsMap, TopicName } from '@ecom/events';
import type { EventContext } from './event-context';

export type EventHandlerFn<T extends TopicName> = (event: EventEnvelope<EventsMap[T]>, context: EventContext) => Promise<void>;

export type EventBatchHandlerFn<T extends TopicName> = (events: EventEnvelope<EventsMap[T]>[], context: EventContext) => Promise<void>;

/** what KafkaEventsServer reads from a handler's extras */
export interface EventHandlerExtras {
  /** the handler takes an array of events (@EventBatchHandler) */
  readonly batch?: boolean;
}

/**
 * @EventPattern(topic) of @nestjs/microservices, typed: the method's first parameter must be the
 * envelope of that topic's payload, or it does not compile. KafkaEventsServer feeds it through
 * nest's pipeline (guards, interceptors, pipes, exception filters) with the validated envelope (and
 * the EventContext, to a handler that asks with @Payload() event, @Ctx() context); throwing makes the
 * message retry, wait out an outage, or go to the dead-letter topic (processMessage).
 */
export function EventHandler<T extends TopicName>(topic: T) {
  return <F extends EventHandlerFn<T>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>) =>
    EventPattern(topic)(target, key, descriptor);
}

/**
 * like @EventHandler, for a handler that writes many events in one go: it gets consecutive events of
 * one partition, in offset order (one while the load is light, up to CONSUMER_MAX_BATCH once messages
 * queue up), and must be as idempotent for each event of the array as a handler is for one. an
 * outage makes the batch wait and retry whole; any other error splits it, and each event is retried
 * alone (the handler called with one event), so one bad event reaches the dead-letter topic and its
 * neighbours do not (processBatch). the EventContext names the batch's last message, and its
 * within(event, work) runs one event's own part (what it publishes or logs) in that event's trace
 * and correlation id.
 */
export function EventBatchHandler<T extends TopicName>(topic: T) {
  const extras: EventHandlerExtras = { batch: true };
  return <F extends EventBatchHandlerFn<T>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>) =>
    EventPattern(topic, extras)(target, key, descriptor);
}
