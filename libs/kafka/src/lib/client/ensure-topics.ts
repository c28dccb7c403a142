import { ConfigResourceTypes, type Admin } from 'kafkajs';
import type { TopicSpec } from '@ecom/events';

const entries = (config: Readonly<Record<string, string>>) => Object.entries(config).map(([name, value]) => ({ name, value }));

/**
 * creates missing topics, grows partition counts to the declared ones and sets the declared topic
 * settings (retention, compaction) on topics that differ. the broker runs with auto-creation off, so
 * this is the only way topics appear.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  if (missing.length > 0) {
    await admin
      .createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({ topic: s.name, numPartitions: s.partitions, configEntries: entries(s.config ?? {}) })),
      })
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
    await settle(admin, present);
  }
  return missing.map((s) => s.name);
}

/** topics created before a setting was declared (or changed by hand) get the declared settings */
async function settle(admin: Admin, present: readonly TopicSpec[]): Promise<void> {
  const declared = present.filter((s) => s.config && Object.keys(s.config).length > 0);
  if (declared.length === 0) return;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: declared.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name, configNames: Object.keys(s.config ?? {}) })),
  });
  const differ = declared.filter((s) => {
    const have = described.resources.find((r) => r.resourceName === s.name)?.configEntries ?? [];
    return Object.entries(s.config ?? {}).some(([name, value]) => have.find((c) => c.configName === name)?.configValue !== value);
  });
  if (differ.length === 0) return;
  // alterConfigs sets a topic's settings as a whole: the declared ones are all of ours
  await admin.alterConfigs({
    validateOnly: false,
    resources: differ.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name, configEntries: entries(s.config ?? {}) })),
  });
}
