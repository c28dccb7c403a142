import type { IndexDefinition } from '@ecom/store-elasticsearch';

// the search distribution here has no analysis-common plugin, so only the built-in
// standard analyzer is used; keyword fields serve exact filters and sorting
export const productSearchIndex: IndexDefinition = {
  // readers and writers use the alias. a mapping change that is not additive ships as a new version
  // of the index, filled by `npm run rebuild -- search`, which swaps the alias to it
  alias: 'catalog',
  name: 'catalog-v1',
  // replicas: ELASTICSEARCH_INDEX_REPLICAS (0 on one node, 1 in production's data tier)
  settings: { number_of_shards: 1 },
  mappings: {
    properties: {
      productId: { type: 'keyword' },
      sku: { type: 'keyword' },
      name: {
        type: 'text',
        analyzer: 'standard',
        fields: { raw: { type: 'keyword' } },
      },
      description: { type: 'text', analyzer: 'standard' },
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
