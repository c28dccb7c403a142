import { SetMetadata } from '@nestjs/common';
import type { EventEnvelope, EventsMap, TopicName } from '@ecom/events';

export const EVENT_HANDLER = Symbol('ecom:event-handler');

export type EventHandlerFn<T extends TopicName> = (event: EventEnvelope<EventsMap[T]>) => Promise<void>;

/**
 * marks a method of a message controller as the handler of one topic. the method gets a
 * validated envelope; throwing makes the message retry, then go to the dead-letter topic.
 */
export function EventHandler<T extends TopicName>(topic: T) {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<EventHandlerFn<T>>) =>
    SetMetadata(EVENT_HANDLER, topic)(target, key, descriptor);
}
