import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { waitFor } from './wait-for';

/** reads a topic from the beginning with a throwaway group until a matching message shows up */
export async function findMessage(
  kafka: Kafka,
  topic: string,
  match: (m: KafkaMessage) => boolean,
  timeoutMs = 30_000,
): Promise<KafkaMessage> {
  const consumer = kafka.consumer({ groupId: `it-reader-${randomUUID()}` });
  let found: KafkaMessage | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!found && match(message)) found = message;
      },
    });
    return await waitFor(`a matching message on ${topic}`, () => found, { timeoutMs });
  } finally {
    await consumer.disconnect();
  }
}

export interface TappedEvent {
  readonly topic: string;
  readonly key: string | undefined;
  readonly envelope: { id: string; payload: Record<string, unknown> } & Record<string, unknown>;
  readonly headers: Record<string, string>;
}

/**
 * listens to topics from now on with one throwaway group, so a suite pays the group join once
 * instead of once per lookup. start it before producing what it should see.
 */
export class TopicTap {
  readonly events: TappedEvent[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topics: readonly string[]): Promise<TopicTap> {
    const consumer = kafka.consumer({ groupId: `it-tap-${randomUUID()}` });
    const tap = new TopicTap(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        tap.events.push({ topic, key: message.key?.toString(), envelope: JSON.parse(message.value?.toString() ?? '{}'), headers });
      },
    });
    await waitFor('the topic tap to join its group', () => joined);
    return tap;
  }

  /** the events on `topic` with `key` seen so far */
  seen(topic: string, key: string): TappedEvent[] {
    return this.events.filter((e) => e.topic === topic && e.key === key);
  }

  /** the first event on `topic` with `key`, waiting for it */
  next(topic: string, key: string, timeoutMs = 30_000): Promise<TappedEvent> {
    return waitFor(`an event on ${topic} with key ${key}`, () => this.seen(topic, key)[0], { timeoutMs });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
