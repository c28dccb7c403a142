import type { IndexDefinition } from '@ecom/store-elasticsearch';

// the search distribution here has no analysis-common plugin, so only the built-in
// standard analyzer is used; keyword fields serve exact filters and sorting
export const productSearchIndex: IndexDefinition = {
  // readers and writers use the alias. a mapping change that is not additive ships as a new version
  // of the index, filled by `npm run rebuild -- search`, which swaps the alias to it
  alias: 'catalog',
  // v2: name and description keep term vectors, for the fast vector highlighter (docs/performance.md,
  // change 36). an index of v1 behind the alias is searched with the unified highlighter until the rebuild
  name: 'catalog-v2',
  // replicas: ELASTICSEARCH_INDEX_REPLICAS (0 on one node, 1 in production's data tier)
  settings: { number_of_shards: 1 },
  mappings: {
    properties: {
      productId: { type: 'keyword' },
      sku: { type: 'keyword' },
      name: {
        type: 'text',
        analyzer: 'standard',
        term_vector: 'with_positions_offsets',
        fields: { raw: { type: 'keyword' } },
      },
      description: { type: 'text', analyzer: 'standard', term_vector: 'with_positions_offsets' },
      category: { type: 'keyword' },
      tags: { type: 'keyword' },
      price: {
        properties: { amount: { type: 'long' }, currency: { type: 'keyword' } },
      },
      stock: { type: 'integer' },
      version: { type: 'long' },
      updatedAt: { type: 'date' },
    },
  },
};

/**
 * whether an index (as elasticsearch names it, prefix included) is of this version of the definition:
 * the one ensureIndex creates, or a rebuild of it (rebuildIndexName: the name, then -r and a time)
 */
export function isCurrentSearchIndex(index: string, current: string): boolean {
  return index === current || index.startsWith(`${current}-r`);
}
