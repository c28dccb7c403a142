import { EventPattern } from '@nestjs/microservices';
import type { EventEnvelope, EventsMap, TopicName } from '@ecom/events';
import type { EventContext } from './event-context';

export type EventHandlerFn<T extends TopicName> = (event: EventEnvelope<EventsMap[T]>, context: EventContext) => Promise<void>;

/**
 * @EventPattern(topic) of @nestjs/microservices, typed: the method's first parameter must be the
 * envelope of that topic's payload, or it does not compile. KafkaEventsServer feeds it through
 * nest's pipeline (guards, interceptors, pipes, exception filters) with the validated envelope and
 * an EventContext; throwing makes the message retry, wait out an outage, or go to the dead-letter
 * topic (processMessage).
 */
export function EventHandler<T extends TopicName>(topic: T) {
  return <F extends EventHandlerFn<T>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>) =>
    EventPattern(topic)(target, key, descriptor);
}
