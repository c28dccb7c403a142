import type { Kafka } from 'kafkajs';
import { Topics, type TopicName, type TopicNames } from '@ecom/events';
import { deadLetterSource, type DeadLetterEntry } from './dead-letter-entry';
import { entriesIn, readDeadLetters, topicOffsets } from './read-dead-letters';

export interface DeadLetterCount {
  readonly topic: TopicName;
  readonly dlt: string;
  /** false when the cluster has no such topic yet (no service of this platform has started) */
  readonly exists: boolean;
  readonly count: number;
}

export interface DeadLetterListing {
  readonly topic: TopicName;
  readonly dlt: string;
  readonly count: number;
  /** the newest entries, newest first */
  readonly entries: DeadLetterEntry[];
}

export const DEFAULT_LIST_LIMIT = 10;

/** every dead-letter topic of the platform with its number of entries */
export async function countDeadLetters(kafka: Kafka, names: TopicNames): Promise<DeadLetterCount[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    return await Promise.all(
      Object.values(Topics).map(async (name) => {
        const { topic, dlt } = deadLetterSource(name);
        if (!existing.has(names.physical(dlt))) return { topic, dlt, exists: false, count: 0 };
        return { topic, dlt, exists: true, count: entriesIn(await topicOffsets(admin, names, dlt)) };
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

/** the count and the newest `limit` entries of one dead-letter topic ("order.placed" or "order.placed.dlt") */
export async function listDeadLetters(
  kafka: Kafka,
  names: TopicNames,
  name: string,
  { limit = DEFAULT_LIST_LIMIT } = {},
): Promise<DeadLetterListing> {
  const { topic, dlt } = deadLetterSource(name);
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await topicOffsets(admin, names, dlt).finally(() => admin.disconnect());
  const n = BigInt(limit);
  const ranges = offsets.map((p) => ({ partition: p.partition, from: p.high - n > p.low ? p.high - n : p.low, to: p.high }));
  const entries = await readDeadLetters(kafka, names, dlt, ranges);
  return { topic, dlt, count: entriesIn(offsets), entries: newestFirst(entries).slice(0, limit) };
}

function newestFirst(entries: DeadLetterEntry[]): DeadLetterEntry[] {
  const at = (e: DeadLetterEntry) => Number(e.message.timestamp);
  return [...entries].sort((a, b) => at(b) - at(a) || Number(BigInt(b.offset) - BigInt(a.offset)));
}
