import { type IHeaders, type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import { type EventEnvelope, TopicNames } from '@ecom/events';
import { HEADER_CORRELATION_ID, HEADER_EVENT_ID, HEADER_EVENT_TYPE } from '../constants';
import { publishSpans } from '../tracing/event-tracing';

export interface OutgoingEvent {
  readonly topic: string;
  readonly envelope: EventEnvelope;
  /** the trace context stored with the event (currentTraceparent() when it was staged) */
  readonly traceparent?: string | null;
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

/** counts what a producer sent, by logical topic (KafkaMetrics.sent in a service) */
export type SentCounter = (topic: string, outcome: 'sent' | 'failed', messages: number) => void;

/** an idempotent producer that resolves only once every in-sync replica has the batch (acks=all) */
export class EventProducer {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly names: TopicNames = new TopicNames(''),
    private readonly counted: SentCounter = () => undefined,
  ) {
    // the partitioner named, as kafkajs asks at every start otherwise: its default, the Java client's
    // murmur2, so an order's events land on the partition any other client would put its key on
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async sendBatch(events: readonly OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    const messages = events.map((e) => toMessage(e.envelope));
    const byTopic = new Map<string, Message[]>();
    events.forEach((e, i) => {
      const ofTopic = byTopic.get(e.topic);
      if (ofTopic) ofTopic.push(messages[i]);
      else byTopic.set(e.topic, [messages[i]]);
    });
    // a span per event, child of the request or handler that staged it, its context in the headers
    const ended = publishSpans(events, (i) => messages[i].headers as IHeaders);
    try {
      await this.count(
        byTopic,
        this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, ofTopic]) => ({ topic: this.names.physical(topic), messages: ofTopic })),
        }),
      );
      ended();
    } catch (e) {
      ended(e);
      throw e;
    }
  }

  /** raw send to a logical topic, used for dead letters and replays, whose value is not an envelope we made */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.connect();
    await this.count(new Map([[topic, messages]]), this.producer.send({ topic: this.names.physical(topic), acks: -1, messages }));
  }

  private async count(byTopic: Map<string, Message[]>, sending: Promise<unknown>): Promise<void> {
    let outcome: 'sent' | 'failed' = 'failed';
    try {
      await sending;
      outcome = 'sent';
    } finally {
      for (const [topic, messages] of byTopic) this.counted(topic, outcome, messages.length);
    }
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
