import { BaseRpcContext } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import type { EventEnvelope, TopicName } from '@ecom/events';

/** runs work as the handling of one event: its consumer span active, its correlation id in force */
export type WithinEvent = <R>(event: EventEnvelope, work: () => R) => R;

/** where a message came from, for a handler, guard or interceptor that asks (host.switchToRpc().getContext()) */
export class EventContext extends BaseRpcContext<[topic: TopicName, partition: number, message: KafkaMessage, within?: WithinEvent]> {
  getTopic(): TopicName {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }

  /** the message; for a batch, its last */
  getMessage(): KafkaMessage {
    return this.args[2];
  }

  /**
   * runs work as the handling of one event of the batch: what it stages carries that event's trace and
   * correlation id, as if the event had been handled alone. a batch handler wraps each event's own
   * effects in it (the events it publishes, what it logs); for a single event it is the context already
   * in force
   */
  within<R>(event: EventEnvelope, work: () => R): R {
    const within = this.args[3];
    return within ? within(event, work) : work();
  }
}
