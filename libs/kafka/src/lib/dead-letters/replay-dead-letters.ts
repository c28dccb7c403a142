import type { IHeaders, Kafka, Message } from 'kafkajs';
import type { TopicName, TopicNames } from '@ecom/events';
import { EventProducer } from '../client/event-producer';
import { deadLetterSource, originalTopicOf, type DeadLetterEntry } from './dead-letter-entry';
import { readDeadLetters, topicOffsets } from './read-dead-letters';

// a replayed message says where it came from; every other dlt-* header is dropped
export const REPLAY_HEADERS = {
  replayedAt: 'dlt-replayed-at',
  replayOf: 'dlt-replay-of',
} as const;
const DLT_HEADER_PREFIX = 'dlt-';

export interface ReplayOptions {
  /** only entries with these event ids (all when empty) */
  readonly ids?: readonly string[];
  /** only entries that failed at or after this time */
  readonly since?: Date;
  /** select and build the messages, send nothing */
  readonly dryRun?: boolean;
  readonly now?: () => Date;
}

export interface ReplayedMessage {
  readonly entry: DeadLetterEntry;
  readonly topic: TopicName;
  readonly message: Message;
}

export interface ReplayResult {
  readonly topic: TopicName;
  readonly dlt: string;
  /** entries read: the whole topic up to its high watermark at the start */
  readonly scanned: number;
  readonly selected: readonly ReplayedMessage[];
  /** selected entries without a known original topic, which are not sent */
  readonly unroutable: readonly DeadLetterEntry[];
  /** requested ids that are not in the topic */
  readonly missingIds: readonly string[];
  /** 0 on a dry run */
  readonly replayed: number;
}

/**
 * sends dead letters back to their original topic with their original key, value and headers,
 * through the idempotent acks=all producer. consumers de-duplicate on the envelope id (ADR 5),
 * so replaying an event that did take effect, or replaying twice, changes nothing.
 */
export async function replayDeadLetters(kafka: Kafka, names: TopicNames, name: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const { topic, dlt } = deadLetterSource(name);
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await topicOffsets(admin, names, dlt).finally(() => admin.disconnect());
  const entries = await readDeadLetters(
    kafka,
    names,
    dlt,
    offsets.map((p) => ({ partition: p.partition, from: p.low, to: p.high })),
  );
  const chosen = entries.filter(selectedBy(options));
  const replayedAt = (options.now ?? (() => new Date()))().toISOString();
  const selected: ReplayedMessage[] = [];
  const unroutable: DeadLetterEntry[] = [];
  for (const entry of chosen) {
    const original = originalTopicOf(entry);
    if (original) selected.push({ entry, topic: original, message: replayMessage(dlt, entry, replayedAt) });
    else unroutable.push(entry);
  }
  const found = new Set(entries.map((e) => e.eventId));
  const missingIds = (options.ids ?? []).filter((id) => !found.has(id));
  const replayed = options.dryRun ? 0 : await send(kafka, names, selected);
  return { topic, dlt, scanned: entries.length, selected, unroutable, missingIds, replayed };
}

/** the message a dead letter is replayed as: original key, value and headers, plus where it came from */
export function replayMessage(dlt: string, entry: DeadLetterEntry, replayedAt: string): Message {
  const headers: IHeaders = {};
  for (const [k, v] of Object.entries(entry.message.headers ?? {})) if (!k.startsWith(DLT_HEADER_PREFIX) && v !== undefined) headers[k] = v;
  headers[REPLAY_HEADERS.replayedAt] = replayedAt;
  headers[REPLAY_HEADERS.replayOf] = `${dlt}/${entry.partition}/${entry.offset}`;
  return { key: entry.message.key, value: entry.message.value, headers };
}

function selectedBy({ ids, since }: ReplayOptions): (e: DeadLetterEntry) => boolean {
  const wanted = ids?.length ? new Set(ids) : undefined;
  return (e) =>
    (!wanted || (e.eventId !== undefined && wanted.has(e.eventId))) &&
    (!since || (e.failedAt !== undefined && new Date(e.failedAt).getTime() >= since.getTime()));
}

async function send(kafka: Kafka, names: TopicNames, messages: readonly ReplayedMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const producer = new EventProducer(kafka, names);
  try {
    // in dead-letter order, so events with the same key keep their relative order
    const byTopic = new Map<TopicName, Message[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m.message]);
    for (const [topic, batch] of byTopic) await producer.sendRaw(topic, batch);
  } finally {
    await producer.disconnect();
  }
  return messages.length;
}
