import { Client } from '@elastic/elasticsearch';
import { randomUUID } from 'node:crypto';
import { ensureIndex } from '@ecom/store-elasticsearch';
import { productSearchIndex } from '../src/app/product-search.index';

// ELASTICSEARCH_INDEX_REPLICAS on the real server: the index is created with that many copies of each
// shard, and a later start with another figure changes the index behind the alias (a dynamic setting)

describe('the search index replicas (real elasticsearch)', () => {
  const es = new Client({ node: process.env['ELASTICSEARCH_NODE'] ?? 'http://127.0.0.1:9200' });
  const run = randomUUID().replace(/-/g, '').slice(0, 8);
  const alias = `replicas-${run}-catalog`;
  const index = `replicas-${run}-catalog-v1`;
  const replicas = async () => (await es.indices.getSettings({ index: alias }))[index]?.settings?.index?.number_of_replicas;

  afterAll(async () => {
    await es.indices.delete({ index, ignore_unavailable: true });
    await es.close();
  });

  it('creates the index with the configured replicas, and applies a new figure at the next start', async () => {
    await ensureIndex(es, alias, index, productSearchIndex, 1);
    expect(await replicas()).toBe('1');
    await ensureIndex(es, alias, index, productSearchIndex, 0);
    expect(await replicas()).toBe('0');
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual([index]);
  });
});
