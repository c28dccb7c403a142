import { Injectable } from '@nestjs/common';
import { createEnvelope, type EventMeta, type EventsMap, type TopicName } from '@ecom/events';
import { currentTraceparent } from '@ecom/kafka';
import { currentCorrelationId } from '@ecom/observability';
import type { OutboxEntry } from './outbox-fields';
import { MongoOutboxRelay } from './mongo-outbox.relay';

@Injectable()
export class MongoOutbox {
  constructor(private readonly relay: MongoOutboxRelay) {}

  /** builds a validated outbox entry to write with withEvents() or newDocumentOutbox() */
  event<T extends TopicName>(topic: T, payload: EventsMap[T], meta: EventMeta): OutboxEntry {
    const envelope = createEnvelope(topic, payload, { correlationId: currentCorrelationId(), ...meta });
    const traceparent = currentTraceparent();
    return traceparent ? { id: envelope.id, topic, envelope, traceparent } : { id: envelope.id, topic, envelope };
  }

  /** call after the write that staged events, so they go out without waiting for the next poll */
  flush(): void {
    this.relay.nudge();
  }
}
