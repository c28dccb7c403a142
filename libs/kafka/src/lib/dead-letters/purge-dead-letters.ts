import type { Kafka } from 'kafkajs';
import type { TopicName, TopicNames } from '@ecom/events';
import { deadLetterSource } from './dead-letter-entry';
import { entriesIn, topicOffsets, type PartitionOffsets } from './read-dead-letters';

/** what a purge deletes: every partition's [low, high) as read at its start */
export interface PurgePlan {
  readonly topic: TopicName;
  readonly dlt: string;
  readonly partitions: readonly PartitionOffsets[];
  /** the dead letters it deletes */
  readonly count: number;
}

export interface PurgeResult extends PurgePlan {
  /** dead letters deleted; 0 on a dry run */
  readonly purged: number;
  /** dead letters the topic holds afterwards: those that arrived during the purge (0 on a dry run) */
  readonly left: number;
}

export interface PurgeOptions {
  /** read the watermarks, delete nothing */
  readonly dryRun?: boolean;
}

/** the watermarks of a dead-letter topic ("order.placed" or "order.placed.dlt") now: what a purge would delete */
export async function planPurge(kafka: Kafka, names: TopicNames, name: string): Promise<PurgePlan> {
  const { topic, dlt } = deadLetterSource(name);
  const admin = kafka.admin();
  await admin.connect();
  const partitions = await topicOffsets(admin, names, dlt).finally(() => admin.disconnect());
  return { topic, dlt, partitions, count: entriesIn(partitions) };
}

/**
 * deletes the records of a dead-letter topic up to the high watermarks of the plan, so dead letters
 * that arrived after the plan was read are kept. a partition that retention (or another purge) has
 * already emptied that far is left alone. returns the dead letters the topic holds afterwards.
 */
export async function applyPurge(kafka: Kafka, names: TopicNames, plan: PurgePlan): Promise<{ purged: number; left: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // also loads the topic's metadata, which deleteTopicRecords needs to find the partitions' leaders
    const now = await topicOffsets(admin, names, plan.dlt);
    const low = new Map(now.map((p) => [p.partition, p.low]));
    const deletions = plan.partitions
      .map((p) => ({ partition: p.partition, from: low.get(p.partition) ?? p.low, to: p.high }))
      .filter((p) => p.from < p.to);
    if (deletions.length > 0)
      await admin.deleteTopicRecords({
        topic: names.physical(plan.dlt),
        partitions: deletions.map((p) => ({ partition: p.partition, offset: String(p.to) })),
      });
    const after = await topicOffsets(admin, names, plan.dlt);
    return { purged: deletions.reduce((n, p) => n + Number(p.to - p.from), 0), left: entriesIn(after) };
  } finally {
    await admin.disconnect();
  }
}

/**
 * deletes the dead letters of a topic ("order.placed" or "order.placed.dlt") up to the high watermark
 * read at the start; nothing on a dry run. the retained count (messaging_kafka_dead_letter_messages,
 * high minus low watermark) drops by as many. deleted dead letters are gone: replay first what still
 * needs to take effect.
 */
export async function purgeDeadLetters(kafka: Kafka, names: TopicNames, name: string, options: PurgeOptions = {}): Promise<PurgeResult> {
  const plan = await planPurge(kafka, names, name);
  if (options.dryRun) return { ...plan, purged: 0, left: 0 };
  return { ...plan, ...(await applyPurge(kafka, names, plan)) };
}
