import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { kafkaConfig, loadConfig, readEnv } from '@ecom/config';
import { allTopicSpecs, TopicNames } from '@ecom/events';
import { waitFor } from './wait-for';

/** the broker's names for this test run (KAFKA_TOPIC_PREFIX, which the integration config sets per run) */
export function testTopicNames(): TopicNames {
  return new TopicNames(loadConfig([kafkaConfig('it')], readEnv()).kafka.topicPrefix);
}

/**
 * creates the run's topics that don't exist yet, as every service does at start-up: a test run's
 * topics are new, and a reader may start before the service that would create them
 */
async function ensureRunTopics(kafka: Kafka, names: TopicNames): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = names.specs(allTopicSpecs()).filter((s) => !existing.has(s.name));
    if (missing.length === 0) return;
    await admin
      .createTopics({ waitForLeaders: true, topics: missing.map((s) => ({ topic: s.name, numPartitions: s.partitions })) })
      .catch((e: { errors?: { type?: string }[] }) => {
        // a service created them at the same moment
        if (!e.errors?.length || !e.errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS')) throw e;
      });
  } finally {
    await admin.disconnect();
  }
}

/** reads a (logical) topic from the beginning with a throwaway group until a matching message shows up */
export async function findMessage(
  kafka: Kafka,
  topic: string,
  match: (m: KafkaMessage) => boolean,
  timeoutMs = 30_000,
): Promise<KafkaMessage> {
  const names = testTopicNames();
  await ensureRunTopics(kafka, names);
  const consumer = kafka.consumer({ groupId: names.group(`it-reader-${randomUUID()}`) });
  let found: KafkaMessage | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: names.physical(topic), fromBeginning: true });
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
 * listens to the run's topics with one throwaway group, so a suite pays the group join once
 * instead of once per lookup. it sees the run's events from the start, so filter by key.
 */
export class TopicTap {
  readonly events: TappedEvent[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topics: readonly string[]): Promise<TopicTap> {
    const names = testTopicNames();
    await ensureRunTopics(kafka, names);
    const consumer = kafka.consumer({ groupId: names.group(`it-tap-${randomUUID()}`) });
    const tap = new TopicTap(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    // from the beginning: the run's topics hold only the run's events, and a group that starts at
    // "latest" decides what latest is at its first fetch, after events the test may already have caused
    await consumer.subscribe({ topics: topics.map((t) => names.physical(t)), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: physical, message }) => {
        const topic = names.logical(physical) ?? physical;
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
