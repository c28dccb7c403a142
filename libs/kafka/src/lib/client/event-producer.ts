import type { Kafka, Message, Producer } from 'kafkajs';
import { type EventEnvelope, TopicNames } from '@ecom/events';
import { HEADER_CORRELATION_ID, HEADER_EVENT_ID, HEADER_EVENT_TYPE } from '../constants';

export interface OutgoingEvent {
  readonly topic: string;
  readonly envelope: EventEnvelope;
}

export function toMessage(envelope: EventEnvelope): Message {
  return {
    key: envelope.key,
    value: JSON.stringify(envelope),
    headers: {
      [HEADER_EVENT_ID]: envelope.id,
      [HEADER_EVENT_TYPE]: envelope.type,
      [HEADER_CORRELATION_ID]: envelope.correlationId,
    },
  };
}

/** an idempotent producer that resolves only once every in-sync replica has the batch (acks=all) */
export class EventProducer {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly names: TopicNames = new TopicNames(''),
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false });
  }

  async sendBatch(events: readonly OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    for (const e of events) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), toMessage(e.envelope)]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic: this.names.physical(topic), messages })),
    });
  }

  /** raw send to a logical topic, used for dead letters and replays, whose value is not an envelope we made */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.connect();
    await this.producer.send({ topic: this.names.physical(topic), acks: -1, messages });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }

  private connect(): Promise<void> {
    // a failed connect is retried on the next call instead of being cached
    this.connected ??= this.producer.connect().catch((e: unknown) => {
      this.connected = undefined;
      throw e;
    });
    return this.connected;
  }
}
