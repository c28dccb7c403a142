import type { Admin } from 'kafkajs';
import { ensureTopics } from './ensure-topics';

describe('ensureTopics', () => {
  const admin = (existing: string[], configs: Record<string, Record<string, string>>) => {
    const calls: { created: unknown[]; altered: unknown[] } = { created: [], altered: [] };
    const a = {
      listTopics: async () => existing,
      createTopics: async (req: { topics: unknown[] }) => void calls.created.push(...req.topics),
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
        topics: topics.map((name) => ({ name, partitions: [{}, {}, {}] })),
      }),
      createPartitions: async () => undefined,
      describeConfigs: async ({ resources }: { resources: { name: string }[] }) => ({
        resources: resources.map((r) => ({
          resourceName: r.name,
          configEntries: Object.entries(configs[r.name] ?? {}).map(([configName, configValue]) => ({ configName, configValue })),
        })),
      }),
      alterConfigs: async (req: { resources: unknown[] }) => void calls.altered.push(...req.resources),
    };
    return { a: a as unknown as Admin, calls };
  };

  it('creates missing topics with their declared settings', async () => {
    const { a, calls } = admin([], {});
    await ensureTopics(a, [{ name: 'order.placed', partitions: 3, config: { 'retention.ms': '-1' } }]);
    expect(calls.created).toEqual([{ topic: 'order.placed', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '-1' }] }]);
  });

  it('sets the declared settings on existing topics that differ, and leaves the others alone', async () => {
    const { a, calls } = admin(['order.placed', 'product.upserted', 'stock.reserved'], {
      'order.placed': { 'retention.ms': '604800000' },
      'product.upserted': { 'cleanup.policy': 'compact' },
    });
    await ensureTopics(a, [
      { name: 'order.placed', partitions: 3, config: { 'retention.ms': '-1' } },
      { name: 'product.upserted', partitions: 3, config: { 'cleanup.policy': 'compact' } },
      { name: 'stock.reserved', partitions: 3 },
    ]);
    expect(calls.altered).toEqual([
      expect.objectContaining({ name: 'order.placed', configEntries: [{ name: 'retention.ms', value: '-1' }] }),
    ]);
  });
});
