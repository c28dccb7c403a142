import { BaseRpcContext } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import type { TopicName } from '@ecom/events';

/** where a message came from, for a handler, guard or interceptor that asks (host.switchToRpc().getContext()) */
export class EventContext extends BaseRpcContext<[topic: TopicName, partition: number, message: KafkaMessage]> {
  getTopic(): TopicName {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }

  getMessage(): KafkaMessage {
    return this.args[2];
  }
}
