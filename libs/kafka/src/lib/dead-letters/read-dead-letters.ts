import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { TopicNames } from '@ecom/events';
import { toDeadLetterEntry, type DeadLetterEntry } from './dead-letter-entry';

/** the offsets a partition holds right now: [low, high) */
export interface PartitionOffsets {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
}

/** offsets to read from one partition: [from, to) */
export interface ReadRange {
  readonly partition: number;
  readonly from: bigint;
  readonly to: bigint;
}

export const entriesIn = (offsets: readonly PartitionOffsets[]): number => offsets.reduce((n, p) => n + Number(p.high - p.low), 0);

export class MissingTopicError extends Error {
  constructor(readonly physical: string) {
    super(`topic ${physical} does not exist on this cluster: the services create their topics when they start`);
  }
}

/** low and high watermark of every partition of a (logical) topic */
export async function topicOffsets(admin: Admin, names: TopicNames, topic: string): Promise<PartitionOffsets[]> {
  // asked first: kafkajs retries an unknown topic for a long while before it gives up
  if (!(await admin.listTopics()).includes(names.physical(topic))) throw new MissingTopicError(names.physical(topic));
  const offsets = await retriable(() => admin.fetchTopicOffsets(names.physical(topic)));
  return offsets.map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) }));
}

/**
 * reads the given offset ranges of a (logical) dead-letter topic with a throwaway consumer group,
 * and returns once every range is read: the ranges end at watermarks taken beforehand, so an empty
 * topic, or one that keeps growing, never keeps it waiting. the group is deleted afterwards.
 */
export async function readDeadLetters(
  kafka: Kafka,
  names: TopicNames,
  topic: string,
  ranges: readonly ReadRange[],
  { timeoutMs = 60_000 } = {},
): Promise<DeadLetterEntry[]> {
  const wanted = new Map(ranges.filter((r) => r.from < r.to).map((r) => [r.partition, r]));
  if (wanted.size === 0) return [];
  const physical = names.physical(topic);
  const groupId = names.group(`dlq-reader-${randomUUID()}`);
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const entries: DeadLetterEntry[] = [];
  const reached = new Map<number, bigint>();
  let finish = (): void => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: physical, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = wanted.get(partition);
        const offset = BigInt(message.offset);
        if (!range || offset >= range.to) return;
        reached.set(partition, offset);
        if (offset >= range.from) entries.push(toDeadLetterEntry(partition, message));
        if (offset + 1n >= range.to) {
          consumer.pause([{ topic: physical, partitions: [partition] }]);
          if ([...wanted.values()].every((r) => (reached.get(r.partition) ?? -1n) + 1n >= r.to)) finish();
        }
      },
    });
    // seek only after run(): kafkajs applies it once the group assigned the partitions
    for (const r of wanted.values()) consumer.seek({ topic: physical, partition: r.partition, offset: String(r.from) });
    await within(finished, timeoutMs, () => {
      const behind = [...wanted.values()].map((r) => `partition ${r.partition} at ${reached.get(r.partition) ?? 'none'} of ${r.to - 1n}`);
      return `reading ${physical} did not finish within ${timeoutMs} ms (${behind.join(', ')})`;
    });
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
  return entries.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

// kafkajs' admin does not retry listOffsets, and a topic created moments ago may have no leader yet
async function retriable<T>(fn: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || !(e as { retriable?: boolean }).retriable) throw e;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

async function within(done: Promise<void>, ms: number, why: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why())), ms)));
  try {
    await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// throwaway groups would otherwise pile up in the cluster until their offsets expire
async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // best effort: an empty group without committed offsets is harmless
  } finally {
    await admin.disconnect();
  }
}
