import type { Admin } from 'kafkajs';
import type { TopicSpec } from '@ecom/events';

/**
 * creates missing topics and grows partition counts to the declared ones.
 * the broker runs with auto-creation off, so this is the only way topics appear.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  if (missing.length > 0) {
    await admin
      .createTopics({ waitForLeaders: true, topics: missing.map((s) => ({ topic: s.name, numPartitions: s.partitions })) })
      .catch((e: { errors?: { type?: string }[] }) => {
        // another service created them at the same moment: that is the outcome we wanted
        if (!e.errors?.length || !e.errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS')) throw e;
      });
  }
  const present = specs.filter((s) => existing.has(s.name));
  if (present.length > 0) {
    const meta = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
    const grow = meta.topics
      .map((t) => ({ topic: t.name, count: present.find((s) => s.name === t.name)?.partitions ?? 0, have: t.partitions.length }))
      .filter((t) => t.count > t.have)
      .map(({ topic, count }) => ({ topic, count }));
    if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
  }
  return missing.map((s) => s.name);
}
