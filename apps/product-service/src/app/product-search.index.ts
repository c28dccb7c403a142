import type { IndexDefinition } from '@ecom/datastores';

// the search distribution here has no analysis-common plugin, so only the built-in
// standard analyzer is used; keyword fields serve exact filters and sorting
export const productSearchIndex: IndexDefinition = {
  name: 'catalog',
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: {
    properties: {
      productId: { type: 'keyword' },
      sku: { type: 'keyword' },
      name: { type: 'text', analyzer: 'standard', fields: { raw: { type: 'keyword' } } },
      description: { type: 'text', analyzer: 'standard' },
      category: { type: 'keyword' },
      priceCents: { type: 'long' },
      stock: { type: 'integer' },
      updatedAt: { type: 'date' },
    },
  },
};
